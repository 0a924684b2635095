"""A trip's route: the positions its vehicle reported while the trip ran (start to end, or to now while it runs).

The vehicles' telemetry keeps them (apps.telemetry) and registers how to read them here at start-up: the telemetry
reads trips (its rules ask whether a vehicle is on one), so trips must not import it back. Without a registered
source (or before the first message) a route is empty.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class RoutePoint:
    recorded_at: datetime
    latitude: float
    longitude: float
    speed: float | None = None
    battery: int | None = None


# (vehicle id, network id, from, to) -> the points with a position, oldest first
RouteSource = Callable[[int, int, datetime, datetime], list[RoutePoint]]
_sources: list[RouteSource] = []


def register_route_source(source: RouteSource) -> None:
    if source not in _sources:
        _sources.append(source)


def trip_route(trip) -> list[RoutePoint]:
    """The positions the trip's vehicle reported during the trip, in its network (a vehicle's history stays where it
    was made)."""
    end = trip.ended_at or timezone.now()
    return [point for source in _sources for point in source(trip.vehicle_id, trip.network_id, trip.started_at, end)]
