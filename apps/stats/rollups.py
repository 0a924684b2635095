"""Which days of a statistics request come from stored day summaries (`TripDay`) and which from the trips.

- A day is *settled* once it ended TRIP_STATS_SETTLE_HOURS ago: only settled days are stored, because trips
  under way or just finished change the recent days all the time.
- Reading: the stored rows of the networks' own time zone, plus summaries computed from the trips for the days
  without a row (today and the recent days, days a trip write invalidated, days the periodic fill has not reached
  yet), so an answer never waits for the fill and is never stale.
- A trip written on a stored day drops that row and schedules its recomputation (`apps.stats.signals`).
- What the rows cannot answer (a time zone other than a network's own, an organizations filter, rollups turned
  off) gets None, and the caller aggregates the trips directly (`apps.stats.selectors`).
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from apps.core.timezones import local_midnight
from apps.networks.models import Network
from apps.trips.models import Trip, TripState

from .models import TripDay
from .selectors import DISTANCE_BUCKETS, DURATION_BUCKETS

PARTS = ("riders", "vehicles", "distances", "durations", "hours", "distance_histogram", "duration_histogram",
         "stations")


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def last_settled_day(tz: ZoneInfo, now: datetime | None = None) -> date:
    """Day D is settled when its end (local midnight of D+1) is TRIP_STATS_SETTLE_HOURS in the past."""
    horizon = (now or timezone.now()) - timedelta(hours=settings.TRIP_STATS_SETTLE_HOURS)
    return horizon.astimezone(tz).date() - timedelta(days=1)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as contiguous (first, last) runs, so that a few scattered days do not read the months between."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def _histogram(values: np.ndarray, modes: list[str], buckets: list) -> dict[str, list[int]]:
    index = np.searchsorted(np.array(buckets[1:-1]), values, side="right")
    histogram = {}
    for mode in sorted(set(modes)):
        chosen = index[np.array(modes) == mode]
        histogram[mode] = np.bincount(chosen, minlength=len(buckets) - 1).tolist()
    return histogram


def summarize(network_ids: list[int], tz: ZoneInfo, days: list[date], parts=PARTS) -> list[TripDay]:
    """Day summaries (unsaved) of the finished trips of the networks on the days, each day of each network
    present, empty ones too; only `parts` are filled in. One query."""
    by_id = {"order_by": "id"}
    aggregates = {"trip_count": Count("id")}
    wanted = set(parts)
    if "riders" in wanted:
        aggregates["riders"] = ArrayAgg("rider_id", distinct=True, order_by="rider_id")
    if "vehicles" in wanted:
        aggregates["vehicles"] = ArrayAgg("vehicle_id", distinct=True, order_by="vehicle_id")
    if "distances" in wanted:
        aggregates["distances"] = ArrayAgg("distance", order_by="distance")
    if "durations" in wanted:
        aggregates["durations"] = ArrayAgg("duration", order_by="duration")
    if "hours" in wanted:
        aggregates["hours"] = ArrayAgg(ExtractHour("started_at", tzinfo=tz))
    if wanted & {"distance_histogram", "duration_histogram"}:
        aggregates["modes"] = ArrayAgg("payment_mode", **by_id)
        aggregates["distance_by_trip"] = ArrayAgg("distance", **by_id)
        aggregates["duration_by_trip"] = ArrayAgg("duration", **by_id)
    if "stations" in wanted:
        aggregates["starts"] = ArrayAgg("start_cluster_id")
        aggregates["ends"] = ArrayAgg("end_cluster_id")
    period = Q()
    for first, last in _runs(days):
        period |= Q(started_at__gte=local_midnight(first, tz), started_at__lt=local_midnight(last + timedelta(days=1), tz))
    rows = (Trip.objects.filter(period, network_id__in=network_ids, state=TripState.FINISHED)
            .annotate(local_day=TruncDate("started_at", tzinfo=tz)).values("network_id", "local_day")
            .annotate(**aggregates))
    found = {(row["network_id"], row["local_day"]): row for row in rows}
    summaries = []
    for network_id in network_ids:
        for day in sorted(set(days)):
            summaries.append(_summary(network_id, day, tz, found.get((network_id, day), {}), wanted))
    return summaries


def _summary(network_id: int, day: date, tz: ZoneInfo, row: dict, wanted: set) -> TripDay:
    summary = TripDay(network_id=network_id, day=day, timezone=tz.key, trip_count=row.get("trip_count", 0))
    for name in ("riders", "vehicles", "distances", "durations"):  # sorted by the query
        if name in wanted:
            setattr(summary, name, np.array(row.get(name, []), dtype=np.int64))
    if "hours" in wanted:
        summary.hours = np.bincount(np.array(row.get("hours", []), dtype=int), minlength=24).tolist()
    for part, values, buckets in (("distance_histogram", "distance_by_trip", DISTANCE_BUCKETS),
                                  ("duration_histogram", "duration_by_trip", DURATION_BUCKETS)):
        if part in wanted:
            setattr(summary, part, _histogram(np.array(row.get(values, []), dtype="<i8"), row.get("modes", []), buckets))
    if "stations" in wanted:
        summary.stations = {side: {str(cluster): n for cluster, n in Counter(row.get(key, [])).items() if cluster}
                            for side, key in (("started", "starts"), ("ended", "ends"))}
    return summary


def trip_days(network_ids: list[int], start: date, end: date, tz: ZoneInfo, parts) -> list[TripDay] | None:
    """Summaries of every day of [start, end] of the networks: stored rows where there are, computed from the
    trips for the others. None when the rows cannot answer (see the module's docstring)."""
    if not settings.TRIP_STATS_ROLLUPS:
        return None
    zones = set(Network.objects.filter(pk__in=network_ids).values_list("timezone", flat=True))
    if zones != {tz.key}:
        return None
    stored = list(TripDay.objects.filter(network_id__in=network_ids, day__range=(start, end), timezone=tz.key)
                  .only("network_id", "day", "trip_count", *parts))
    have = {(row.network_id, row.day) for row in stored}
    missing = [day for day in days_between(start, end) if any((n, day) not in have for n in network_ids)]
    if not missing:
        return stored
    computed = summarize(network_ids, tz, missing, parts)
    return stored + [row for row in computed if (row.network_id, row.day) not in have]


def store_days(network: Network, days: list[date]) -> int:
    """Compute and store the settled ones of `days` (idempotent). Serialized per network by an advisory lock,
    so that a refresh reading older trips can never write after one that read newer trips."""
    tz = ZoneInfo(network.timezone)
    settled = [day for day in days if day <= last_settled_day(tz)]
    if not settled:
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, network.pk])
        rows = summarize([network.pk], tz, settled)
        now = timezone.now()
        for row in rows:
            row.computed_at = now
        TripDay.objects.bulk_create(rows, update_conflicts=True, unique_fields=["network", "day"],
                                    update_fields=["timezone", "trip_count", *PARTS, "computed_at"])
    return len(rows)


_LOCK_NAMESPACE = 7101  # pg_advisory_xact_lock(namespace, network id): trip-day refreshes of one network


def missing_days(network: Network) -> list[date]:
    """Settled days from the network's first finished trip on that have no row of its current time zone."""
    tz = ZoneInfo(network.timezone)
    first = Trip.objects.filter(network=network, state=TripState.FINISHED).aggregate(first=Min("started_at"))["first"]
    if first is None:
        return []
    days = days_between(first.astimezone(tz).date(), last_settled_day(tz))
    stored = set(TripDay.objects.filter(network=network, timezone=tz.key, day__gte=first.astimezone(tz).date())
                 .values_list("day", flat=True))
    return [day for day in days if day not in stored]


def fill(network: Network, chunk_days: int = 31) -> int:
    """Store every missing settled day of the network, a month per query; rows of a former time zone go."""
    TripDay.objects.filter(network=network).exclude(timezone=network.timezone).delete()
    missing = missing_days(network)
    return sum(store_days(network, missing[n:n + chunk_days]) for n in range(0, len(missing), chunk_days))


def forget(network_id: int, started_at: datetime) -> list[date]:
    """Drop the stored row of the day a trip started on (in its network's zone); the days dropped."""
    if started_at is None or started_at > timezone.now() - timedelta(hours=settings.TRIP_STATS_SETTLE_HOURS):
        return []  # a day not settled yet has no row
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TripDay._meta.db_table} d USING {Network._meta.db_table} n "
            "WHERE n.id = d.network_id AND d.network_id = %s AND d.day = (%s::timestamptz AT TIME ZONE n.timezone)::date "
            "RETURNING d.day", [network_id, started_at])
        return [row[0] for row in cursor.fetchall()]
