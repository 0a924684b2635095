"""Day summaries of the trips (`TripDay`): which days of a request come from stored rows, which from the trips.

- A day is *settled* once it ended TRIP_STATS_SETTLE_HOURS ago: only settled days are stored, because trips
  under way or just finished change the recent days all the time.
- Reading: the stored rows of the networks' own time zone, plus summaries computed from the trips for the days
  without a row (today and the recent days, days a trip write invalidated, days the periodic fill has not reached
  yet), so an answer never waits for the fill and is never stale.
- A trip written on a stored day drops that row and schedules its recomputation (`apps.trips.signals`).
- What the rows cannot answer (a time zone other than a network's own, an organizations filter, rollups turned
  off) gets None, and the caller aggregates the trips directly (`apps.stats.selectors`).
- Read by the usage statistics and the overview (apps.stats) and by listTrips' total.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from apps.core.dbtypes import binary_results
from apps.core.filters import equals_any
from apps.core.prepared import PreparedQuery, read_rows_of_each
from apps.core.timezones import local_midnight
from apps.networks.models import Network
from . import heat, stored_values
from .models import ENDED, STARTED, SortedIntegersField, Trip, TripDay, TripState, pack_counts, unpack_counts

DISTANCE_BUCKETS = [0, 1000, 2000, 3000, 5000, 10000, None]  # meters, the statistics' histogram
DURATION_BUCKETS = [0, 300, 600, 900, 1200, 1800, 2700, 3600, None]  # seconds

PARTS = ("riders", "vehicles", "distances", "durations", "hours", "distance_histogram", "duration_histogram",
         "station_trips", "other_distances", "other_durations", "vehicle_trips", "active_riders", *heat.PARTS.values())
# Columns every summary has, besides the parts.
BOUNDS = ("first_trip_id", "last_trip_id", "ended_count", "first_ended_at", "last_ended_at")
TOTALS = {"distance_total": "distances", "duration_total": "durations"}  # a sum, and the part it sums


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
    """Day summaries (unsaved) of the trips of the networks on the days, each day of each network present, empty
    ones too; only `parts` are filled in (of the finished trips, but active riders and heatmap cells are of trips
    of any state). One query."""
    finished = Q(state=TripState.FINISHED)

    def finished_trips(field, **options):  # one value per finished trip of the day
        return ArrayAgg(field, filter=finished, default=[], **options)

    aggregates = {"trip_count": Count("id", filter=finished), "all_trip_count": Count("id"),
                  **{f"state:{state}": Count("id", filter=Q(state=state)) for state in TripState.values},
                  "demo": Count("id", filter=Q(demo=True)),
                  "first_trip_id": Min("id"), "last_trip_id": Max("id"),
                  "ended_count": Count("id", filter=Q(ended_at__isnull=False)),
                  "first_ended_at": Min("ended_at"), "last_ended_at": Max("ended_at")}
    wanted = set(parts)
    if "riders" in wanted:
        aggregates["riders"] = finished_trips("rider_id", distinct=True, order_by="rider_id")
    if "vehicles" in wanted:
        aggregates["vehicles"] = finished_trips("vehicle_id", distinct=True, order_by="vehicle_id")
    if "distances" in wanted:
        aggregates["distances"] = finished_trips("distance", order_by="distance")
    if "durations" in wanted:
        aggregates["durations"] = finished_trips("duration", order_by="duration")
    if "hours" in wanted:
        aggregates["hours"] = finished_trips(ExtractHour("started_at", tzinfo=tz))
    if wanted & {"distance_histogram", "duration_histogram"}:
        aggregates["modes"] = finished_trips("payment_mode", order_by="id")
        aggregates["distance_by_trip"] = finished_trips("distance", order_by="id")
        aggregates["duration_by_trip"] = finished_trips("duration", order_by="id")
    if "station_trips" in wanted:
        aggregates["starts"] = finished_trips("start_cluster_id")
        aggregates["ends"] = finished_trips("end_cluster_id")
    for name, field in (("other_distances", "distance"), ("other_durations", "duration")):
        if name in wanted:
            aggregates[name] = ArrayAgg(field, filter=~finished, order_by=field, default=[])
    if "vehicle_trips" in wanted:
        aggregates["vehicle_trips"] = ArrayAgg("vehicle_id", default=[])
    if "active_riders" in wanted:
        aggregates["active_riders"] = ArrayAgg("rider_id", distinct=True, order_by="rider_id", default=[])
    for zoom, part in heat.PARTS.items():
        if part in wanted:
            aggregates[part] = ArrayAgg(heat.cell_of_start(zoom), filter=heat.PLACED, default=[])
    period = Q()
    for first, last in _runs(days):
        period |= Q(started_at__gte=local_midnight(first, tz), started_at__lt=local_midnight(last + timedelta(days=1), tz))
    rows = (Trip.objects.filter(period, network_id__in=network_ids)
            .annotate(local_day=TruncDate("started_at", tzinfo=tz)).values("network_id", "local_day")
            .annotate(**aggregates))
    found = {(row["network_id"], row["local_day"]): row for row in rows}
    summaries = []
    for network_id in network_ids:
        for day in sorted(set(days)):
            summaries.append(_summary(network_id, day, tz, found.get((network_id, day), {}), wanted))
    return summaries


def _summary(network_id: int, day: date, tz: ZoneInfo, row: dict, wanted: set) -> TripDay:
    summary = TripDay(network_id=network_id, day=day, timezone=tz.key, trip_count=row.get("trip_count", 0),
                      all_trip_count=row.get("all_trip_count", 0),
                      filter_counts={**{state: row.get(f"state:{state}", 0) for state in TripState.values},
                                     "demo": row.get("demo", 0)})
    for name in BOUNDS:
        setattr(summary, name, row.get(name, 0 if name == "ended_count" else None))
    for name in ("riders", "vehicles", "distances", "durations", "other_distances", "other_durations",
                 "active_riders"):  # sorted by the query
        if name in wanted:
            setattr(summary, name, np.array(row.get(name, []), dtype=np.int64))
    for total, part in TOTALS.items():
        if part in wanted:
            setattr(summary, total, int(getattr(summary, part).sum()))
    if "hours" in wanted:
        summary.hours = np.bincount(np.array(row.get("hours", []), dtype=int), minlength=24).tolist()
    for part, values, buckets in (("distance_histogram", "distance_by_trip", DISTANCE_BUCKETS),
                                  ("duration_histogram", "duration_by_trip", DURATION_BUCKETS)):
        if part in wanted:
            setattr(summary, part, _histogram(np.array(row.get(values, []), dtype="<i8"), row.get("modes", []), buckets))
    if "station_trips" in wanted:
        summary.station_trips = pack_counts([cluster << 1 | side for side, key in ((STARTED, "starts"), (ENDED, "ends"))
                                             for cluster in row.get(key, []) if cluster])
    for part in heat.PARTS.values():
        if part in wanted:
            setattr(summary, part, pack_counts(row.get(part, [])))
    if "vehicle_trips" in wanted:
        summary.vehicle_trips = pack_counts(row.get("vehicle_trips", []))
    return summary


def trip_days(network_ids: list[int], start: date, end: date, tz: ZoneInfo, parts, *,
              encoded: tuple[str, ...] = (), kept: tuple[str, ...] = ()) -> list[TripDay] | None:
    """Summaries of every day of [start, end] of the networks: stored rows where there are, computed from the
    trips for the others. None when the rows cannot answer (see the module's docstring).

    The `encoded` parts are left as their stored bytes, in `encoded_<part>` (a computed day's: its sorted array),
    for reading a few blocks of them (SortedIntegersField.ranked) rather than decoding them whole. The stored rows
    come without the `kept` parts (the caller reads the process's decoded copy, apps.trips.stored_values, and
    `left_out` where it cannot); the computed days carry them all."""
    if not settings.TRIP_STATS_ROLLUPS:
        return None
    zones = set(Network.objects.filter(pk__in=network_ids).values_list("timezone", flat=True))
    if zones != {tz.key}:
        return None
    stored = TripDay.objects.filter(network_id__in=network_ids, day__range=(start, end), timezone=tz.key).only(
        "network_id", "day", "trip_count", "computed_at", *(part for part in parts if part not in kept)).annotate(
        **{f"encoded_{part}": SortedIntegersField.raw(part) for part in encoded if part not in kept})
    with binary_results(stored.db):  # a year of sorted sets: megabytes of bytea, hex-escaped in text
        stored = list(stored)
    have = {(row.network_id, row.day) for row in stored}
    missing = [day for day in days_between(start, end) if any((n, day) not in have for n in network_ids)]
    if not missing:
        return stored
    computed = [row for row in summarize(network_ids, tz, missing, (*parts, *encoded))
                if (row.network_id, row.day) not in have]
    for row in computed:
        for part in encoded:
            setattr(row, f"encoded_{part}", getattr(row, part))
    return stored + computed


def left_out(days: list[TripDay], part: str, *, encoded: bool = False) -> list:
    """Each day's `part` (decoded; with `encoded`, its stored bytes: `encoded_<part>`), the stored rows' read now in
    one statement where trip_days left it out (`kept`)."""
    name = f"encoded_{part}" if encoded else part
    missing = [day.pk for day in days if day.pk is not None and name not in day.__dict__]  # a deferred field
    if missing:
        rows = TripDay.objects.filter(pk__in=missing).values_list(
            "pk", SortedIntegersField.raw(part) if encoded else part)
        with binary_results(rows.db):
            found = dict(rows)
        for day in days:
            if day.pk in found:
                day.__dict__[name] = found[day.pk]
    return [day.__dict__[name] for day in days]


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
                                    update_fields=["timezone", "trip_count", "all_trip_count", "filter_counts", *BOUNDS,
                                                   *PARTS, *TOTALS, "computed_at"])
    return len(rows)


_LOCK_NAMESPACE = 7101  # pg_advisory_xact_lock(namespace, network id): trip-day refreshes of one network


def missing_days(network: Network) -> list[date]:
    """Settled days from the network's first trip on that have no row of its current time zone."""
    tz = ZoneInfo(network.timezone)
    first = Trip.objects.filter(network=network).aggregate(first=Min("started_at"))["first"]
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
        # The lock store_days takes: a refresh that read the trips before this write commits cannot store its
        # (now stale) row after this delete; it either finished before (the row is deleted here) or waits for
        # this transaction and reads the written trip.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, network_id])
        cursor.execute(
            f"DELETE FROM {TripDay._meta.db_table} d USING {Network._meta.db_table} n "
            "WHERE n.id = d.network_id AND d.network_id = %s AND d.day = (%s::timestamptz AT TIME ZONE n.timezone)::date "
            "RETURNING d.day", [network_id, started_at])
        return [row[0] for row in cursor.fetchall()]


def stored_and_rest(network_ids: list[int], field: str, low: datetime | None = None,
                    high: datetime | None = None) -> tuple[list, Q]:
    """For trips started in [low, high) (None: unbounded): `field` of the stored days lying wholly inside, and a
    condition on the trips the rows do not cover (outside the stored days, or every trip with rollups off).
    One query whatever the range and the number of networks."""
    stored, rest = stored_days_and_rest(network_ids, field, low, high)
    return [value for *_, value in stored], rest


def stored_days_and_rest(network_ids: list[int], field: str | tuple[str, ...], low: datetime | None = None,
                         high: datetime | None = None) -> tuple[list[tuple], Q]:
    """stored_and_rest, with each stored value as (network id, local start, local end, value); given several
    fields, the value is the tuple of theirs."""
    stored = []
    if settings.TRIP_STATS_ROLLUPS:
        rows = TripDay.objects.filter(network_id__in=network_ids, timezone=F("network__timezone"))
        if low is not None:  # a superset in dates (zones are at most 14 hours from UTC), cut exactly below
            rows = rows.filter(day__gte=low.date() - timedelta(days=2))
        if high is not None:
            rows = rows.filter(day__lte=high.date() + timedelta(days=2))
        fields = (field,) if isinstance(field, str) else tuple(field)
        rows = rows.values_list("network_id", "day", "timezone", *fields)
        with binary_results(rows.db):  # the encoded fields: megabytes of bytea, hex-escaped in text
            rows = list(rows)
        for network_id, day, zone, *values in rows:
            value = values[0] if isinstance(field, str) else values
            tz = ZoneInfo(zone)
            start, end = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
            if (low is None or start >= low) and (high is None or end <= high):
                stored.append((network_id, start, end, value))
    rest = Q(pk__in=[])
    for span in _gaps(network_ids, stored, low, high):
        rest |= span
    return stored, rest


def _gaps(network_ids, stored, low, high) -> list[Q]:
    """One condition per stretch of started_at the stored days do not cover, per network."""
    gaps = []
    for network_id in network_ids:
        covered = sorted((start, end) for n, start, end, _ in stored if n == network_id)
        edges = [low] + [bound for span in covered for bound in span] + [high]
        for start, end in zip(edges[::2], edges[1::2]):  # the gaps around and between the stored days
            if start is None or end is None or start < end:
                span = Q(network_id=network_id)
                # Before the first stored day: from the network's first trip (always true, but a bounded range keeps
                # PostgreSQL on the (network, started_at) index when other networks hold older trips).
                span &= Q(started_at__gte=Subquery(_first_start(network_id))) if start is None \
                    else Q(started_at__gte=start)
                gaps.append(span & (Q() if end is None else Q(started_at__lt=end)))
    return gaps


def _first_start(network_id: int):
    return Trip.objects.filter(network_id=network_id).order_by("started_at").values("started_at")[:1]


def union_over_gaps(network_ids, stored, low, high, rows: Callable[[Q], QuerySet]) -> QuerySet | list:
    """`rows(stretch)` for each stretch of trips the stored days do not cover, as one query: each stretch on its
    own (UNION ALL), so that each reads its range of the (network, started_at) index; an OR of the ranges would
    have PostgreSQL read the network's whole index, or scan the table."""
    parts = [rows(gap) for gap in _gaps(network_ids, stored, low, high)]
    return parts[0].union(*parts[1:], all=True) if parts else []


def id_ranges(network_ids: list[int], low: datetime | None, high: datetime | None) \
        -> dict[int, tuple[int, int]]:
    """Each network's smallest and largest id of its trips started in [low, high) (a network without any: absent):
    the stored days' first and last ids, and the trips of the stretches they do not cover (one query each way)."""
    stored, _rest = stored_days_and_rest(network_ids, ("first_trip_id", "last_trip_id"), low, high)
    bounds = [(network, ids) for network, _start, _end, ids in stored if ids[0] is not None]
    bounds += [(row["network_id"], (row["low"], row["high"])) for row in union_over_gaps(
        network_ids, stored, low, high, lambda gap: Trip.objects.filter(gap).order_by().values("network_id")
        .annotate(low=Min("id"), high=Max("id"))) if row["low"] is not None]
    ranges = {}
    for network, (first, last) in bounds:
        known = ranges.get(network, (first, last))
        ranges[network] = (min(known[0], first), max(known[1], last))
    return ranges


def latest_starts_and_ends(network_ids: list[int], low: datetime | None = None, high: datetime | None = None, *,
                           low_id: int | None = None, high_id: int | None = None) \
        -> dict[int, tuple[datetime | None, datetime | None, bool]]:
    """For each network's trips started in [low, high) with ids in [low_id, high_id] (None: unbounded): a time none of
    them started after (None: no trip), the latest end time (None: none has ended), and whether some have no end
    (under way, or cancelled without one). Upper bounds, from the stored days inside the time range whose ids reach
    into the id range (the end of the day, its last end, its counts) and the trips of the stretches no stored day
    covers: what a newest-first walk of the start or end index may start from."""
    stored, _rest = stored_days_and_rest(
        network_ids, ("first_trip_id", "last_trip_id", "last_ended_at", "ended_count", "all_trip_count"), low, high)
    found = {network: ([], [], False) for network in network_ids}
    for network, _start, day_end, values in stored:
        if values[0] is not None and (high_id is None or values[0] <= high_id) and (low_id is None or values[1] >= low_id):
            starts, ends, endless = found[network]
            ends += [values[2]] if values[2] is not None else []
            starts.append(day_end - timedelta(microseconds=1))
            found[network] = (starts, ends, endless or values[3] < values[4])
    for row in union_over_gaps(network_ids, stored, low, high, lambda gap: Trip.objects.filter(
            gap, inclusive("id", low_id, high_id)).order_by().values("network_id").annotate(
            start=Max("started_at"), end=Max("ended_at"), endless=Count("id") - Count("ended_at"))):
        starts, ends, endless = found[row["network_id"]]
        starts += [row["start"]] if row["start"] is not None else []
        ends += [row["end"]] if row["end"] is not None else []
        found[row["network_id"]] = (starts, ends, endless or row["endless"] > 0)
    return {network: (max(starts, default=None), max(ends, default=None), endless)
            for network, (starts, ends, endless) in found.items()}


def count_in_gaps(network_ids, stored, low, high, condition: Q = Q()) -> Counter:
    """Trips (matching `condition`) per network in the stretches the stored days do not cover (one query)."""
    counts = Counter()
    for row in union_over_gaps(network_ids, stored, low, high, lambda gap: Trip.objects.filter(gap, condition)
                               .order_by().values("network_id").annotate(n=Count("id"))):
        counts[row["network_id"]] += row["n"]
    return counts


def riders_between(network_ids: list[int], low: datetime | None = None, high: datetime | None = None, *,
                   any_state: bool = False) -> np.ndarray:
    """Ids of the riders with a finished trip (`any_state`: a trip of any state) in the networks started in
    [low, high), exact (repeats included)."""
    stored, rest = stored_and_rest(network_ids, "active_riders" if any_state else "riders", low, high)
    trips = Trip.objects.filter(rest) if any_state else Trip.objects.filter(rest, state=TripState.FINISHED)
    return np.concatenate(stored + [_distinct_riders(trips)])


def _distinct_riders(trips: QuerySet) -> np.ndarray:
    """The trips' distinct rider ids, as one array in one row (a row per rider costs more in Python than in SQL).
    No ordering: Trip's default one (-id) would join the DISTINCT and return a rider once per trip."""
    ids = trips.order_by().aggregate(ids=ArrayAgg("rider_id", distinct=True, default=[]))["ids"]
    return np.array(ids, dtype=np.int64)


_NETWORKS = [-7_000_000_011]  # no network has this id


def _grouped_trip_counts(network_ids):
    return (TripDay.objects.filter(equals_any(TripDay, "network_id", network_ids), timezone=F("network__timezone"))
            .values("network_id", "timezone").order_by()
            .annotate(trips=Sum("all_trip_count"), first=Min("day"), last=Max("day"), days=Count("*")))


# Read by every unfiltered listTrips (the most frequent request): compiled once per process (apps.core.prepared).
STORED_TRIP_COUNTS = PreparedQuery(_grouped_trip_counts, network_ids=_NETWORKS)


def _stored_trip_counts(network_ids: list[int]) -> list[tuple]:
    """stored_days_and_rest(network_ids, "all_trip_count") over all time, with each network's stored days as one
    stretch when they have no hole: one grouped row per network instead of a row per day (a day dropped by a trip
    write and not stored again yet is a hole: then the days are read one by one)."""
    if not settings.TRIP_STATS_ROLLUPS:
        return []
    rows = STORED_TRIP_COUNTS.rows(network_ids=list(network_ids))
    stretches = []
    for row in rows:
        if row["days"] != (row["last"] - row["first"]).days + 1:
            return stored_days_and_rest(network_ids, "all_trip_count")[0]
        tz = ZoneInfo(row["timezone"])
        stretches.append((row["network_id"], local_midnight(row["first"], tz),
                          local_midnight(row["last"] + timedelta(days=1), tz), row["trips"]))
    return stretches


def estimated_in_value_range(network_ids: list[int], field: str, low: int | None, high: int | None) \
        -> tuple[float, int]:
    """About how many of the networks' trips have a duration or distance in [low, high] (each network's share of
    such trips on its latest stored day with trips, times its stored trip count), and how many days are stored (what
    counting from them costs): two small queries; an estimate, to choose how to count, never a count."""
    stored, days = Counter(), 0
    for network_id, start, end, trips in _stored_trip_counts(network_ids):
        stored[network_id] += trips
        days += round((end - start).total_seconds() / 86400)
    if not stored:
        return 0.0, 0  # nothing stored: every trip is counted on the trips anyway
    latest = (TripDay.objects.filter(network_id__in=network_ids, all_trip_count__gt=0)
              .order_by("network_id", "-day").distinct("network_id")
              .values_list("network_id", f"{field}s", f"other_{field}s"))
    estimate = 0.0
    for network_id, *sorted_values in latest:
        values = np.sort(np.concatenate(sorted_values))
        inside = (np.searchsorted(values, high, "right") if high is not None else values.size) - (
            np.searchsorted(values, low, "left") if low is not None else 0)
        estimate += stored[network_id] * inside / max(values.size, 1)
    return estimate, days


# Each network's trips outside the span of its stored days (from its first trip to the first stored day, and from the
# end of the last one; all of them when none is stored). A fixed statement per network, all sent in one round trip
# (not joined with UNION ALL, whose planning grew faster than its branches: 303 networks took 408 ms to plan and 32 ms
# to count; separate statements take 45 ms in all), so it is not compiled per request (this runs on every unfiltered
# listTrips: the ORM's union of gaps cost ~2.5 ms of Python to build). The network and the bounds are values in the
# statement (client-side binding), never columns of a function of arrays: PostgreSQL then estimates each count from
# the network's own statistics. Given as columns, it guessed a third of the table for the recent stretch, and at 3M+
# trips planned a sequential scan of every trip (1.0-1.3 s, where the index counts the day's few thousand in ~1 ms)
# and compiled it with JIT. The lower bound (the network's first start) keeps the first count on the (network,
# started_at) index when other networks hold older trips.
_TRIPS_OUTSIDE_STORED_SPAN = f"""
SELECT %s::int,
  (SELECT count(*) FROM {Trip._meta.db_table} t WHERE t.network_id = %s
     AND t.started_at >= (SELECT u.started_at FROM {Trip._meta.db_table} u WHERE u.network_id = %s
                          ORDER BY u.started_at LIMIT 1)
     AND t.started_at < coalesce(%s::timestamptz, 'infinity'))
  + (SELECT count(*) FROM {Trip._meta.db_table} t WHERE t.network_id = %s AND t.started_at >= %s::timestamptz)"""


def trip_totals_by_network(network_ids: list[int]) -> dict[int, int]:
    """Each network's number of trips (any state), exact: its stored days' counts plus a count of the trips they do
    not cover. Two round trips whatever the number of networks (listNetworks' `trips` indicator, listTrips'
    total)."""
    stored = _stored_trip_counts(network_ids)
    spans = {network_id: (start, end) for network_id, start, end, _trips in stored}
    if len(spans) < len(stored):  # a network's stored days have a hole: days one by one, and the gaps between them
        totals = count_in_gaps(network_ids, stored, None, None)
    else:
        statements = []
        for network_id in dict.fromkeys(network_ids):
            covered_from, covered_until = spans.get(network_id, (None, None))
            statements.append((Trip, _TRIPS_OUTSIDE_STORED_SPAN, [network_id, network_id, network_id, covered_from,
                                                                  network_id, covered_until]))
        totals = Counter(dict(row for rows in read_rows_of_each(statements) for row in rows))
    for network_id, _start, _end, value in stored:
        totals[network_id] += value
    return {network_id: totals[network_id] for network_id in network_ids}


@dataclass(frozen=True)
class DayCount:
    """How the stored days count the trips matching a listTrips filter: the TripDay `fields` read, the `condition`
    on the trips (for what no stored day covers), and `count(*values)`, a day's count from its fields, or None when
    the filter cuts through the day, whose trips are then counted instead."""
    fields: tuple  # TripDay field names or expressions (values_list columns)
    condition: Q
    count: Callable[..., int | None]
    # (field, low, high) of a distance or duration range: counted on the process's decoded copy (stored_values)
    in_range: tuple[str, int | None, int | None] | None = None


def every_trip() -> DayCount:
    return DayCount(("all_trip_count",), Q(), lambda total: total)


def trips_in_states(states: list[str]) -> DayCount:
    return DayCount(("filter_counts",), Q(state__in=states), lambda counts: sum(counts.get(s, 0) for s in states))


def demo_trips(demo: bool) -> DayCount:
    def count(counts):
        return counts["demo"] if demo else sum(counts[state] for state in TripState.values) - counts["demo"]
    return DayCount(("filter_counts",), Q(demo=demo), count)


def inclusive(field: str, low, high) -> Q:
    """low <= field <= high, either bound optional (listTrips' range filters)."""
    return (Q() if low is None else Q(**{f"{field}__gte": low})) & (Q() if high is None else Q(**{f"{field}__lte": high}))


def trips_with_value(field: str, low: int | None, high: int | None) -> DayCount:
    """distance or duration in [low, high]: the day's sorted values of finished trips and of the others, read
    encoded and counted on their skip index (SortedIntegersField.count_between) rather than decoded whole."""
    def count(*encoded):
        return sum(SortedIntegersField.count_between(values, low, high) for values in encoded)
    return DayCount((SortedIntegersField.raw(f"{field}s"), SortedIntegersField.raw(f"other_{field}s")),
                    inclusive(field, low, high), count, in_range=(field, low, high))


def _within(low, high, first, last, whole: int) -> int | None:
    """A day whose values span [first, last]: all `whole` of them in [low, high], none, or None (cut)."""
    if not whole or (low is not None and last < low) or (high is not None and first > high):
        return 0
    if (low is None or first >= low) and (high is None or last <= high):
        return whole
    return None


def trips_with_id(low: int | None, high: int | None) -> DayCount:
    return DayCount(("all_trip_count", "first_trip_id", "last_trip_id"), inclusive("id", low, high),
                    lambda whole, first, last: _within(low, high, first, last, whole))


def trips_ended(low: datetime | None, high: datetime | None) -> DayCount:
    return DayCount(("ended_count", "first_ended_at", "last_ended_at"), inclusive("ended_at", low, high),
                    lambda whole, first, last: _within(low, high, first, last, whole))


def trips_of_vehicles(vehicle_ids: list[int], condition: Q) -> DayCount:
    """Trips of some vehicles (a model's): the day's trips per vehicle, picked with a presence array over the
    wanted ids' range."""
    wanted = np.array(vehicle_ids, dtype=np.int64)
    if not wanted.size:
        return DayCount(("vehicle_trips",), condition, lambda packed: 0)
    low = int(wanted.min())
    present = np.zeros(int(wanted.max()) - low + 1, dtype=bool)
    present[wanted - low] = True

    def count(packed):
        vehicles, counts = unpack_counts(packed)
        inside = (vehicles >= low) & (vehicles < low + present.size)
        return int(counts[inside][present[vehicles[inside] - low]].sum())
    return DayCount(("vehicle_trips",), condition, count)


def matching_trips_by_network(network_ids: list[int], matching: DayCount, low: datetime | None = None,
                              high: datetime | None = None) -> dict[int, int]:
    """How many trips of each network started in [low, high) match: the stored days' counts plus a count of the
    trips of the stretches no stored day covers and of the days the filter cuts through. Exact."""
    if matching.fields == ("all_trip_count",) and low is None and high is None:  # the unfiltered list
        return trip_totals_by_network(network_ids)
    if matching.in_range is not None:
        stored, _rest = stored_days_and_rest(network_ids, ("day", "id", "computed_at"), low, high)
        in_range = stored_values.count_in_range([(day[0], *day[3]) for day in stored], *matching.in_range)
        if in_range is not None:
            totals = Counter(in_range)
            totals.update(count_in_gaps(network_ids, stored, low, high, matching.condition))
            return {network_id: totals[network_id] for network_id in network_ids}
    stored, _rest = stored_days_and_rest(network_ids, matching.fields, low, high)
    counted, totals = [], Counter()
    for day in stored:
        n = matching.count(*day[3])
        if n is not None:
            totals[day[0]] += n
            counted.append(day)
    totals.update(count_in_gaps(network_ids, counted, low, high, matching.condition))
    return {network_id: totals[network_id] for network_id in network_ids}


_PRESENCE_SPAN = 64_000_000  # ids further apart than this are not marked in an array


def _presence(ids: np.ndarray) -> tuple[int, np.ndarray] | None:
    """The ids marked in a boolean array over their range (its first id, the array): distinct ids in one pass where
    np.unique would sort them; None when the ids are too far apart (or none)."""
    if not ids.size:
        return None
    low, high = int(ids.min()), int(ids.max())
    if high - low > _PRESENCE_SPAN:
        return None
    present = np.zeros(high - low + 1, dtype=bool)
    present[ids - low] = True
    return low, present


def distinct_count(ids: np.ndarray) -> int:
    """How many different ids."""
    marked = _presence(ids)
    return int(np.count_nonzero(marked[1])) if marked else int(np.unique(ids).size)


def distinct_count_of(arrays: list[np.ndarray], *, ascending: bool = False) -> int:
    """distinct_count of the arrays' ids together, marked array by array rather than joined first (no copy of a
    year's millions of ids). `ascending`: each array is sorted (a stored day's set), so its ends are its bounds (no
    min() and max() scans). Measured: docs/performance.md, "Measurements kept out of the code"."""
    arrays = [ids for ids in arrays if ids.size]
    if not arrays:
        return 0
    if ascending:
        low, high = min(int(ids[0]) for ids in arrays), max(int(ids[-1]) for ids in arrays)
    else:
        low, high = min(int(ids.min()) for ids in arrays), max(int(ids.max()) for ids in arrays)
    if high - low > _PRESENCE_SPAN:
        return distinct_count(np.concatenate(arrays))
    present = np.zeros(high - low + 1, dtype=bool)
    for ids in arrays:
        present[ids - low] = True
    return int(np.count_nonzero(present))


def distinct_ids(ids: np.ndarray) -> np.ndarray:
    """The different ids, sorted."""
    marked = _presence(ids)
    return np.flatnonzero(marked[1]) + marked[0] if marked else np.unique(ids)


def count_not_in(ids: np.ndarray, others: np.ndarray) -> int:
    """How many different `ids` are not among `others`."""
    marked = _presence(ids)
    if marked is None:
        return int(np.count_nonzero(~np.isin(np.unique(ids), others))) if ids.size else 0
    low, mine = marked
    mine[others[(others >= low) & (others < low + mine.size)] - low] = False
    return int(np.count_nonzero(mine))


# A process's last unions of stored rider sets (riders_before): {(networks, high): (stamp, sorted ids, rest)}.
_RIDERS_BEFORE: dict = {}
_RIDERS_BEFORE_SIZE = 64


def riders_before(network_ids: list[int], high: datetime) -> np.ndarray:
    """Sorted distinct ids of the riders with a finished trip in the networks started before `high`. The union of
    the stored days' sets (all of a network's past: two years of a busy network are millions of ids to decode) is
    kept by the process while the stored rows stay the same (their count and latest computation time: a trip
    write drops its day's row, a refresh stores it anew); the trips outside the stored days are read each time."""
    first_after = high.date() + timedelta(days=2)  # the superset of days stored_days_and_rest reads
    rows = TripDay.objects.filter(network_id__in=network_ids, day__lte=first_after)
    stamp = tuple(rows.aggregate(n=Count("id"), last=Max("computed_at")).values())
    key = (tuple(sorted(network_ids)), high)
    cached = _RIDERS_BEFORE.get(key)
    if cached is None or cached[0] != stamp:
        stored, rest = stored_and_rest(network_ids, "riders", None, high)
        ids = distinct_ids(np.concatenate(stored)) if stored else np.array([], dtype=np.int64)
        if len(_RIDERS_BEFORE) >= _RIDERS_BEFORE_SIZE:
            _RIDERS_BEFORE.pop(next(iter(_RIDERS_BEFORE)))
        cached = _RIDERS_BEFORE[key] = (stamp, ids, rest)
    _stamp, ids, rest = cached
    read = _distinct_riders(Trip.objects.filter(rest, state=TripState.FINISHED))
    return np.union1d(ids, read) if read.size else ids
