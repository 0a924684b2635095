"""The dashboard's home page: counts of the networks' fleet, trips and riders right now, and the map."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Round, Trunc
from django.utils import timezone

from apps.core.permissions import Scope
from apps.core.timezones import local_midnight
from apps.fleet.models import Cluster, FleetAlert, Maintenance, Spot, Station, StationOutage, Vehicle
from apps.trips import rollups
from apps.trips.models import Trip, TripState

LOW_BATTERY = 20  # percent


def stations_overview(network_ids, scope: Scope) -> dict:
    stations = Station.objects.within(scope).filter(cluster__network_id__in=network_ids, decommissioned_at__isnull=True)
    spots = Spot.objects.filter(station__in=stations)
    counts = spots.aggregate(spot_count=Count("id"), occupied=Count("vehicle"))
    clusters = Cluster.objects.within(scope).filter(network_id__in=network_ids, decommissioned_at__isnull=True)
    return {
        "cluster_count": clusters.count(),
        "station_count": stations.count(),
        "spot_count": counts["spot_count"],
        "docked_vehicle_count": counts["occupied"],
        "free_spot_count": counts["spot_count"] - counts["occupied"],
        "stations_in_outage": StationOutage.objects.filter(station__in=stations, ended_at__isnull=True)
        .values("station_id").distinct().count(),
    }


def vehicles_overview(network_ids, scope: Scope) -> dict:
    vehicles = Vehicle.objects.filter(network_id__in=network_ids, decommissioned_at__isnull=True)
    totals = vehicles.aggregate(
        vehicle_count=Count("id"), docked=Count("id", filter=Q(spot__isnull=False)),
        free_floating=Count("id", filter=Q(spot__isnull=True)),
        low_battery=Count("id", filter=Q(battery_level__lt=LOW_BATTERY)))
    totals["in_trip"] = (Trip.objects.filter(network_id__in=network_ids, state__in=[TripState.RUNNING, TripState.ON_HOLD],
                                             vehicle__decommissioned_at__isnull=True)
                         .values("vehicle_id").distinct().count())
    totals["in_maintenance"] = Maintenance.objects.filter(vehicle__in=vehicles, ended_at__isnull=True) \
        .values("vehicle_id").distinct().count()
    totals["in_stock"] = vehicles.filter(stock_entry__isnull=False).count()
    totals["open_alerts"] = FleetAlert.objects.within(scope).filter(network_id__in=network_ids,
                                                                    resolved_at__isnull=True).count()
    totals["by_model"] = [{"model": row["model__name"], "count": row["n"]} for row in
                          vehicles.values("model__name").annotate(n=Count("id")).order_by("model__name")]
    return totals


def _day_start(tz: ZoneInfo, days_ago: int) -> datetime:
    today = timezone.now().astimezone(tz).date()
    return local_midnight(today - timedelta(days=days_ago), tz)


def trips_overview(network_ids, tz: ZoneInfo) -> dict:
    """Trips started today, yesterday, in the last 7 and 30 days (days of `tz`), and under way now: the first over
    the (network, started_at) index, the second over the partial index of trips under way."""
    today, yesterday = _day_start(tz, 0), _day_start(tz, 1)
    week, month = _day_start(tz, 6), _day_start(tz, 29)
    trips = Trip.objects.filter(network_id__in=network_ids)
    counts = trips.filter(started_at__gte=month).aggregate(
        today=Count("id", filter=Q(started_at__gte=today)),
        yesterday=Count("id", filter=Q(started_at__gte=yesterday, started_at__lt=today)),
        last_7_days=Count("id", filter=Q(started_at__gte=week)),
        last_30_days=Count("id"))
    counts.update(trips.filter(state__in=[TripState.RUNNING, TripState.ON_HOLD]).aggregate(
        running=Count("id", filter=Q(state=TripState.RUNNING)), on_hold=Count("id", filter=Q(state=TripState.ON_HOLD))))
    return counts


def users_overview(network_ids, tz: ZoneInfo) -> dict:
    """Riders who started a trip (any state) today, in 7 and 30 days; riders with a finished trip in the networks,
    and those whose first finished trip there is in the last 30 days (read from the stored day summaries)."""
    today, week, month = _day_start(tz, 0), _day_start(tz, 6), _day_start(tz, 29)
    counts = Trip.objects.filter(network_id__in=network_ids, started_at__gte=month).aggregate(
        active_today=Count("rider_id", distinct=True, filter=Q(started_at__gte=today)),
        active_7_days=Count("rider_id", distinct=True, filter=Q(started_at__gte=week)),
        active_30_days=Count("rider_id", distinct=True))
    earlier, recent = rollups.riders_between(network_ids, high=month), rollups.riders_between(network_ids, low=month)
    counts["riders"] = rollups.distinct_count(np.concatenate([earlier, recent]))
    counts["new_30_days"] = rollups.count_not_in(recent, earlier)
    return counts


def overview_map(network_ids, scope: Scope) -> dict:
    docked = Count("stations__spots__vehicle", filter=Q(stations__decommissioned_at__isnull=True))
    spots = Count("stations__spots", filter=Q(stations__decommissioned_at__isnull=True))
    clusters = (Cluster.objects.within(scope).filter(network_id__in=network_ids, decommissioned_at__isnull=True)
                .annotate(docked_vehicle_count=docked, spot_count=spots).order_by("network_id", "name", "id"))
    floating = Vehicle.objects.filter(network_id__in=network_ids, decommissioned_at__isnull=True, spot__isnull=True,
                                      latitude__isnull=False).order_by("serial_number")
    return {
        "clusters": [{"id": c.pk, "network_id": c.network_id, "name": c.name, "latitude": c.latitude,
                      "longitude": c.longitude, "docked_vehicle_count": c.docked_vehicle_count,
                      "spot_count": c.spot_count} for c in clusters],
        "vehicles": list(floating.values("id", "network_id", "serial_number", "latitude", "longitude",
                                         "battery_level")),
    }


# zoom -> grid step in degrees: 0 -> x.xxx, 1 -> x.xxx(0|5), 2 -> x.xxxx (the seed)
HEATMAP_STEPS = {0: Decimal("0.001"), 1: Decimal("0.0005"), 2: Decimal("0.0001")}


def heatmap(trips: QuerySet, *, lat, lng, lat_deg, lng_deg, date_min, date_max, zoom: int) -> list[dict]:
    """Trip starts inside the area, snapped to the zoom's grid and counted per point and month (one query)."""
    step = HEATMAP_STEPS[zoom]
    half_lat, half_lng = abs(lat_deg) / 2, abs(lng_deg) / 2
    month_min = date_min.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    trips = trips.filter(start_latitude__gte=lat - half_lat, start_latitude__lte=lat + half_lat,
                         start_longitude__gte=lng - half_lng, start_longitude__lte=lng + half_lng,
                         started_at__gte=month_min, started_at__lte=date_max)
    snapped = DecimalField(max_digits=12, decimal_places=4)
    rows = (trips.annotate(
        point_lat=ExpressionWrapper(Round(F("start_latitude") / Value(step)) * Value(step), output_field=snapped),
        point_lng=ExpressionWrapper(Round(F("start_longitude") / Value(step)) * Value(step), output_field=snapped),
        month=Trunc("started_at", "month", tzinfo=ZoneInfo("UTC")))
        .values("point_lat", "point_lng", "month").annotate(count=Count("id"))
        .order_by("month", "point_lat", "point_lng"))
    return [{"latitude": row["point_lat"].quantize(step), "longitude": row["point_lng"].quantize(step),
             "date": row["month"].date(), "count": row["count"]} for row in rows]
