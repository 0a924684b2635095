"""Usage statistics, each one SQL aggregation over the trips of a period, days cut in the requested time zone."""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Aggregate, Avg, Case, Count, FloatField, IntegerField, Max, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractHour, ExtractWeekDay, Trunc

from apps.core.timezones import local_day_bounds
from apps.trips.models import PaymentMode, TripState



class Median(Aggregate):
    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def period_trips(*, trips: QuerySet, start_date: date, end_date: date, tz: ZoneInfo, organizations=None) -> QuerySet:
    """Finished trips started in the period; `organizations` a list of ids (riders in any of them), "null" (riders
    in none), or None (everyone)."""
    low, high = local_day_bounds(start_date, end_date, tz)
    trips = trips.filter(state=TripState.FINISHED, started_at__gte=low, started_at__lt=high)
    if organizations == "null":
        trips = trips.filter(rider__organizations__isnull=True)
    elif organizations:
        # A subquery, not a join: a rider in two of the organizations must not count twice.
        trips = trips.filter(rider__in=get_user_model().objects.filter(organizations__in=organizations))
    return trips


def grouping_for(*, start: date, end: date) -> str:
    days = (end - start).days + 1
    return "day" if days <= 31 else "week" if days <= 183 else "month" if days <= 731 else "quarter"


def period_start(*, day: date, kind: str) -> date:
    if kind == "day":
        return day
    if kind == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday, as PostgreSQL's date_trunc
    if kind == "month":
        return day.replace(day=1)
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def period_starts(*, start: date, end: date, kind: str) -> list[date]:
    starts, current = [], period_start(day=start, kind=kind)
    while current <= end:
        starts.append(current)
        if kind == "day":
            current += timedelta(days=1)
        elif kind == "week":
            current += timedelta(days=7)
        else:
            step = 1 if kind == "month" else 3
            month = current.month - 1 + step
            current = current.replace(year=current.year + month // 12, month=month % 12 + 1)
    return starts


def usage_by_period(*, trips: QuerySet, start_date: date, end_date: date, tz: ZoneInfo) -> list[dict]:
    kind = grouping_for(start=start_date, end=end_date)
    rows = (trips.annotate(period=Trunc("started_at", kind, tzinfo=tz)).values("period")
            .annotate(trip_count=Count("id"), unique_users=Count("rider_id", distinct=True)))
    found = {row["period"].date(): row for row in rows}
    return [{"period": kind, "date": day, "trip_count": found.get(day, {}).get("trip_count", 0),
             "unique_users": found.get(day, {}).get("unique_users", 0)}
            for day in period_starts(start=start_date, end=end_date, kind=kind)]


def usage_summary(*, trips: QuerySet) -> dict:
    totals = trips.aggregate(
        trip_count=Count("id"), unique_users=Count("rider_id", distinct=True),
        rented_vehicles=Count("vehicle_id", distinct=True),
        total_distance=Coalesce(Sum("distance"), 0), average_distance=Avg("distance"), median_distance=Median("distance"),
        max_distance=Max("distance"), total_duration=Coalesce(Sum("duration"), 0), average_duration=Avg("duration"),
        median_duration=Median("duration"), max_duration=Max("duration"))
    for name in ("average_distance", "median_distance", "average_duration", "median_duration"):
        totals[name] = round(totals[name]) if totals[name] is not None else None
    return totals


def trips_by_dow(*, trips: QuerySet, tz: ZoneInfo) -> list[dict]:
    # PostgreSQL's DOW through Django: 1 is Sunday; the dashboard's 0 is Sunday.
    rows = dict(trips.annotate(dow=ExtractWeekDay("started_at", tzinfo=tz)).values("dow")
                .annotate(n=Count("id")).values_list("dow", "n"))
    return [{"dow": dow, "trip_count": rows.get(dow + 1, 0)} for dow in range(7)]


def trips_by_hour(*, trips: QuerySet, tz: ZoneInfo) -> list[dict]:
    rows = dict(trips.annotate(hour=ExtractHour("started_at", tzinfo=tz)).values("hour")
                .annotate(n=Count("id")).values_list("hour", "n"))
    return [{"hour": hour, "trip_count": rows.get(hour, 0)} for hour in range(24)]


def distribution(*, trips: QuerySet, field: str, buckets: list) -> list[dict]:
    """Trips per bucket [min, max) of `field` and per payment mode: one GROUP BY over a bucket number."""
    bucket = Case(*[When(**{f"{field}__lt": high}, then=Value(index)) for index, high in enumerate(buckets[1:-1])],
                  default=Value(len(buckets) - 2), output_field=IntegerField())
    rows = trips.annotate(bucket=bucket).values("bucket", "payment_mode").annotate(n=Count("id"))
    counts = {(row["bucket"], row["payment_mode"]): row["n"] for row in rows}
    return [{"min": low, "max": buckets[index + 1],
             "counts": {mode: counts.get((index, mode), 0) for mode in PaymentMode.values}}
            for index, low in enumerate(buckets[:-1])]


def station_distribution(*, trips: QuerySet, clusters: QuerySet) -> list[dict]:
    """Trips started and ended at each cluster of the networks (clusters without trips show zeros)."""
    started = dict(trips.values("start_cluster_id").annotate(n=Count("id")).values_list("start_cluster_id", "n"))
    ended = dict(trips.values("end_cluster_id").annotate(n=Count("id")).values_list("end_cluster_id", "n"))
    return [{"cluster": {"id": c.pk, "name": c.name}, "network_id": c.network_id, "started": started.get(c.pk, 0),
             "ended": ended.get(c.pk, 0)} for c in clusters.order_by("network_id", "name", "id")]
