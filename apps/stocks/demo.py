from django.utils import timezone

from apps.fleet.models import Vehicle

from .models import AutoStockArea, Stock, StockedVehicle


def seed(ctx):
    """A depot per network holding a few vehicles, with an auto-stock area drawn around it."""
    for network in ctx.made["networks"].values():
        if Stock.objects.filter(network=network).exists():
            continue
        stock = Stock.objects.create(network=network, name=f"{network.name} depot", country=network.country,
                                     city=network.name.split()[0], zipcode="00000", street="1 rue du Dépôt")
        # Spare vehicles: not docked, not already stored, not on a trip (a vehicle on a trip is not in a depot).
        spare = list(Vehicle.objects.filter(network=network, spot__isnull=True, stock_entry__isnull=True)
                     .exclude(trips__state__in=["running", "on-hold"]).order_by("-serial_number")[:5])
        StockedVehicle.objects.bulk_create(StockedVehicle(vehicle=v, stock=stock, entered_at=timezone.now())
                                           for v in spare)
        if spare and spare[0].latitude is not None:
            lat, lng = float(spare[0].latitude), float(spare[0].longitude)
            area = AutoStockArea(stock=stock)
            area.set_shape([[lat - 0.0005, lng - 0.0005], [lat - 0.0005, lng + 0.0005], [lat + 0.0005, lng + 0.0005],
                            [lat + 0.0005, lng - 0.0005]])
            area.save()
    ctx.log(f"stocks: {Stock.objects.count()} stocks, {StockedVehicle.objects.count()} vehicles stored")
