from django.db.models import Count

from .models import StockedVehicle


def stock_rows(*, stocks):
    return stocks.select_related("country", "auto_area").annotate(vehicle_count=Count("entries"))


def stocked_vehicles(*, stocks):
    return (StockedVehicle.objects.filter(stock__in=stocks).select_related("vehicle__model")
            .order_by("stock_id", "entered_at", "id"))
