"""Writes on stocks (one transaction each; rules raise -6)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation
from apps.core.geo import within_bounding_boxes
from apps.fleet.models import Vehicle
from apps.fleet.services import lock_movable_vehicle
from apps.trips.models import TripState

from .models import AutoStockArea, Stock, StockedVehicle
from .tasks import apply_auto_stock


def stock_create(*, network, name: str, country, city: str, zipcode: str, street: str) -> Stock:
    return Stock.objects.create(network=network, name=name, country=country, city=city, zipcode=zipcode, street=street)


@transaction.atomic
def stock_delete(*, stock: Stock) -> None:
    stock = Stock.objects.select_for_update().get(pk=stock.pk)
    stored = stock.entries.count()
    if stored:
        raise BusinessRuleViolation("stock.not_empty", f"{stored} vehicle(s) are stored in this stock; move them first.")
    stock.delete()


@transaction.atomic
def stock_set_auto_area(*, stock: Stock, shape) -> AutoStockArea:
    """Set the auto-stock area, then (after commit) stock the vehicles found inside it."""

    area = AutoStockArea.objects.select_for_update().filter(stock=stock).first() or AutoStockArea(stock=stock)
    area.set_shape(shape)
    area.save()
    transaction.on_commit(lambda: apply_auto_stock.delay(stock.pk))
    return area


@transaction.atomic
def vehicle_put_in_stock(*, vehicle: Vehicle, stock: Stock) -> StockedVehicle:
    """Place a vehicle in a stock of its network by hand (kept there until taken out by hand: the auto-stock area
    never releases it). It leaves its spot; a vehicle in another stock moves to this one."""

    vehicle = lock_movable_vehicle(vehicle=vehicle, action="store it")
    if stock.network_id != vehicle.network_id:
        raise BusinessRuleViolation("stock.other_network", "The stock belongs to another network than the vehicle.")
    if vehicle.spot_id is not None:
        vehicle.spot = None
        vehicle.save(update_fields=["spot", "updated_at"])
    entry, _created = StockedVehicle.objects.update_or_create(
        vehicle=vehicle, defaults={"stock": stock, "entered_at": timezone.now(), "automatic": False})
    return entry


@transaction.atomic
def auto_stock_apply(*, stock_id: int) -> tuple[int, int]:
    """Make the stock's automatic entries match its area: (vehicles added, vehicles released).

    Idempotent: a second run finds nothing to change. Vehicles docked, decommissioned, on a trip or already
    in a stock (by hand, or automatically in another one) are left alone; vehicles placed by hand are never
    released here.
    """
    stock = Stock.objects.select_for_update().filter(pk=stock_id).first()  # serializes concurrent runs
    area = AutoStockArea.objects.filter(stock_id=stock_id).first()
    if stock is None or area is None:
        return 0, 0
    candidates = within_bounding_boxes(
        Vehicle.objects.filter(network_id=stock.network_id, decommissioned_at__isnull=True, spot__isnull=True)
        .exclude(trips__state__in=[TripState.RUNNING, TripState.ON_HOLD]), [area])
    inside = {v.pk for v in candidates if area.contains(v.latitude, v.longitude)}
    stale = stock.entries.filter(automatic=True).exclude(vehicle_id__in=inside)
    released = stale.count()
    stale.delete()
    already = set(StockedVehicle.objects.filter(vehicle_id__in=inside).values_list("vehicle_id", flat=True))
    now = timezone.now()
    added = StockedVehicle.objects.bulk_create(
        StockedVehicle(vehicle_id=pk, stock=stock, entered_at=now, automatic=True) for pk in sorted(inside - already))
    return len(added), released
