"""The usage statistics over day summaries (`rollups.trip_days`), answering exactly what the SQL aggregations of
`selectors` answer over the trips: distinct riders and vehicles as unions of the days' id sets, medians over the
days' sorted values (numpy's median of an even count is the mean of the middle two, as percentile_cont(0.5))."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

import numpy as np
from django.db.models import QuerySet

from apps.trips.models import ENDED, STARTED, PaymentMode, SortedIntegersField, TripDay, unpack_counts
from apps.trips.rollups import distinct_count_of, left_out
from apps.trips.stored_values import day_sets, finished_values

from .selectors import grouping_for, period_start, period_starts


def _joined(days: list[TripDay], part: str) -> np.ndarray:
    arrays = [getattr(day, part) for day in days]
    return np.concatenate(arrays) if arrays else np.array([], dtype="<i8")


def _distinct(days: list[TripDay], part: str) -> int:
    return distinct_count_of([getattr(day, part) for day in days], ascending=True)  # stored sets are sorted


def usage_by_period(days: list[TripDay], *, start_date: date, end_date: date) -> list[dict]:
    kind = grouping_for(start=start_date, end=end_date)
    periods: dict[date, list[TripDay]] = defaultdict(list)
    for day in days:
        periods[period_start(day=day.day, kind=kind)].append(day)
    return [{"period": kind, "date": start, "trip_count": sum(d.trip_count for d in periods[start]),
             "unique_users": _distinct(periods[start], "riders")} for start in period_starts(start=start_date, end=end_date, kind=kind)]


SUMMARY_PARTS = ("riders", "vehicles", "distance_total", "duration_total")
# Read as stored (a median decodes a few blocks of a day's values) where the process's decoded copy cannot answer.
SUMMARY_ENCODED = ("distances", "durations")
# What the stored rows come without when the process keeps a decoded copy of the stored days (the summary reads it).
SUMMARY_KEPT = ("riders", "vehicles", "distances", "durations")


def usage_summary(days: list[TripDay]) -> dict:
    count = sum(day.trip_count for day in days)
    totals = {"trip_count": count, "unique_users": distinct_count_of(_kept_sets(days, "riders"), ascending=True),
              "rented_vehicles": distinct_count_of(_kept_sets(days, "vehicles"), ascending=True)}
    for name, part in (("distance", "distances"), ("duration", "durations")):
        total = sum(getattr(day, f"{name}_total") for day in days)
        totals[f"total_{name}"] = total
        totals[f"average_{name}"] = round(total / count) if count else None
        kept = _kept_values(days, part)
        if kept is not None:
            totals[f"max_{name}"] = max((int(values[-1]) for values in kept if values.size), default=None)
            median = _median(kept)
        else:
            sets = left_out(days, part, encoded=True)
            totals[f"max_{name}"], median = SortedIntegersField.largest(sets), SortedIntegersField.median(sets)
        totals[f"median_{name}"] = round(median) if median is not None else None
    order = ["trip_count", "unique_users", "rented_vehicles", "total_distance", "average_distance", "median_distance",
             "max_distance", "total_duration", "average_duration", "median_duration", "max_duration"]
    return {name: totals[name] for name in order}


def _kept_sets(days: list[TripDay], part: str) -> list[np.ndarray]:
    """The days' `part` (riders or vehicles); from the rows where the copy cannot keep them."""
    kept = _kept(days, lambda stored: day_sets(stored, part), part)
    return left_out(days, part) if kept is None else kept


def _kept_values(days: list[TripDay], part: str) -> list[np.ndarray] | None:
    """The days' sorted `part` (distances or durations of the finished trips); None when the copy cannot keep them
    (their encoded sets are read instead)."""
    return _kept(days, lambda stored: finished_values(stored, part), f"encoded_{part}")


def _kept(days: list[TripDay], read, computed: str) -> list[np.ndarray] | None:
    """The stored days' arrays from the process's decoded copy (`read`, apps.trips.stored_values), then each computed
    day's `computed` array; None when the copy does not keep them."""
    kept = read([(day.network_id, day.day, day.pk, day.computed_at) for day in days if day.pk is not None])
    return None if kept is None else kept + [getattr(day, computed) for day in days if day.pk is None]


def _median(arrays: list[np.ndarray]) -> float | None:
    """The two middle values picked from the joined arrays (np.partition), where the encoded sets' median decodes
    the blocks around them in every day (~60 ms for a year of three cities)."""
    values = np.concatenate(arrays) if arrays else np.array([], dtype=np.int64)
    if not values.size:
        return None
    middle = [(values.size - 1) // 2, values.size // 2]
    return float(np.partition(values, middle)[middle].astype(np.int64).sum()) / 2


def trips_by_dow(days: list[TripDay]) -> list[dict]:
    counts = [0] * 7
    for day in days:
        counts[day.day.isoweekday() % 7] += day.trip_count  # the dashboard's 0 is Sunday
    return [{"dow": dow, "trip_count": counts[dow]} for dow in range(7)]


def trips_by_hour(days: list[TripDay]) -> list[dict]:
    counts = np.zeros(24, dtype=int)
    for day in days:
        if day.trip_count:
            counts += np.array(day.hours, dtype=int)
    return [{"hour": hour, "trip_count": int(counts[hour])} for hour in range(24)]


def distribution(days: list[TripDay], part: str, buckets: list) -> list[dict]:
    counts = {mode: np.zeros(len(buckets) - 1, dtype=int) for mode in PaymentMode.values}
    for day in days:
        for mode, per_bucket in getattr(day, part).items():
            if mode in counts:  # as the SQL path, modes no longer offered are not listed
                counts[mode] += np.array(per_bucket, dtype=int)
    return [{"min": low, "max": buckets[index + 1], "counts": {mode: int(counts[mode][index]) for mode in counts}}
            for index, low in enumerate(buckets[:-1])]


def station_distribution(days: list[TripDay], clusters: QuerySet) -> list[dict]:
    keys, counts = unpack_counts(_joined(days, "station_trips"))  # cluster id << 1 | side, trips
    distinct, where = np.unique(keys, return_inverse=True)
    totals = dict(zip(distinct.tolist(), np.bincount(where, weights=counts).astype(np.int64).tolist()))
    return [{"cluster": {"id": c.pk, "name": c.name}, "network_id": c.network_id,
             "started": totals.get(c.pk << 1 | STARTED, 0), "ended": totals.get(c.pk << 1 | ENDED, 0)}
            for c in clusters.order_by("network_id", "name", "id")]
