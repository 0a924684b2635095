"""Stocks: addresses (warehouses, depots) where a network's vehicles are stored out of service.

A vehicle is in a stock when it has a `StockedVehicle` row: put there by staff, or automatically while its
last position is inside the stock's auto-stock area.
"""
from django.core.validators import MinLengthValidator
from django.db import models

from apps.core.geo import ShapedModel
from apps.core.models import ScopedModel, TimeStampedModel


class Stock(TimeStampedModel):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="stocks")
    name = models.CharField(max_length=128, validators=[MinLengthValidator(4)])
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    city = models.CharField(max_length=128)
    zipcode = models.CharField(max_length=16)
    street = models.CharField(max_length=128)

    scope_network_path = "network"

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class AutoStockArea(ShapedModel, TimeStampedModel):
    """The area around a stock: active vehicles of its network parked inside are stocked automatically."""

    stock = models.OneToOneField(Stock, on_delete=models.CASCADE, related_name="auto_area")

    scope_network_path = "stock__network"

    def __str__(self):
        return f"Auto-stock area of {self.stock}"


class StockedVehicle(ScopedModel):
    vehicle = models.OneToOneField("fleet.Vehicle", on_delete=models.CASCADE, related_name="stock_entry")
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="entries")
    entered_at = models.DateTimeField()
    automatic = models.BooleanField(default=False, help_text="Placed by the auto-stock area, and removed when "
                                                             "the vehicle is seen outside it.")

    scope_network_path = "stock__network"

    class Meta:
        ordering = ["stock", "entered_at", "id"]

    def __str__(self):
        return f"{self.vehicle} in {self.stock}"


class StockExit(models.Model):
    """A vehicle that left a stock, and when: written by the database when its StockedVehicle row goes (migration
    stocks.0002), whoever removes it (the auto-stock area's release, a move, docking, a deletion). The MDS events
    say it (`provider_drop_off`): without it a stocked vehicle stayed `removed` for ever. Ids, not foreign keys:
    the row outlives a deleted vehicle or stock."""

    entry_id = models.BigIntegerField(help_text="The StockedVehicle row it was: its pick-up event keeps its id.")
    vehicle_id = models.BigIntegerField(db_index=True)
    stock_id = models.BigIntegerField()
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-left_at", "-id"]
