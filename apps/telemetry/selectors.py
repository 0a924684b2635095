"""Reads of the telemetry for other apps: a vehicle's positions over a time range (trips' routes)."""
from __future__ import annotations

from datetime import datetime

from apps.trips.routes import RoutePoint

from .models import TelemetryMessage

ROUTE_POINTS = 20_000  # a day of fixes every 5 s is 17,280


def vehicle_positions(vehicle_id: int, network_id: int, low: datetime, high: datetime) -> list[RoutePoint]:
    """The positions the vehicle reported in [low, high] while in `network_id`, oldest first (one index range scan of
    the days' partitions, apps.telemetry.history)."""
    rows = (TelemetryMessage.objects.filter(vehicle_id=vehicle_id, network_id=network_id, recorded_at__gte=low,
                                            recorded_at__lte=high, latitude__isnull=False)
            .order_by("recorded_at", "id").values_list("recorded_at", "latitude", "longitude", "speed", "battery"))
    return [RoutePoint(*row) for row in rows[:ROUTE_POINTS]]
