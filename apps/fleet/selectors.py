"""Reads of the physical fleet; counts come as subquery annotations so a list costs a fixed number of queries."""
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from apps.content.selectors import localized_values
from apps.core.api.params import require_ordered_ranges
from apps.core.exceptions import ValidationFailed
from apps.core.filters import filter_by
from apps.core.timezones import local_day_bounds

from .models import ClusterDescription, ExternalLock, Spot, Station, StationEnergyReading, Vehicle


def _count(queryset, group_field: str):
    counted = queryset.values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_availability(*, clusters: QuerySet) -> QuerySet:
    """station_count, spot_count, docked_vehicle_count and free_spot_count of each cluster (stations in service)."""
    in_service = Q(decommissioned_at__isnull=True)
    stations = Station.objects.filter(in_service, cluster=OuterRef("pk"))
    spots = Spot.objects.filter(station__decommissioned_at__isnull=True, station__cluster=OuterRef("pk"))
    docked = Vehicle.objects.filter(spot__station__decommissioned_at__isnull=True,
                                    spot__station__cluster=OuterRef("pk"))
    return clusters.annotate(
        station_count=_count(stations, "cluster"),
        spot_count=_count(spots, "station__cluster"),
        docked_vehicle_count=_count(docked, "spot__station__cluster"),
    )


def cluster_search(*, clusters: QuerySet, name: str, badge_reader: bool | None, limit: int = 50) -> QuerySet:
    """Clusters whose name contains `name` (case-insensitive), in service, best matches first (prefix, then name)."""
    found = clusters.filter(name__icontains=name, decommissioned_at__isnull=True)
    if badge_reader is not None:
        found = found.filter(badge_reader=badge_reader)
    return found.annotate(
        is_prefix=Q(name__istartswith=name)
    ).order_by("-is_prefix", "name", "id")[:limit]


def cluster_detail(*, clusters: QuerySet, lang: str) -> QuerySet:
    descriptions = ClusterDescription.objects.filter(lang=lang.lower())
    return with_availability(clusters=clusters).prefetch_related(
        Prefetch("descriptions", queryset=descriptions, to_attr="localized"), "pictures")


MAX_ENERGY_DAYS = 366


def station_energy_per_day(*, station, start_date: date, end_date: date, timezone_name: str) -> list[dict]:
    """Watt-hours consumed per local day from `start_date` to `end_date` (both included), zeros for days
    without readings. Summed in SQL, days cut in `timezone_name` (so DST days are 23 or 25 hours long)."""
    if end_date < start_date:
        raise ValidationFailed.on("end_date", "end_date must not be before start_date.")
    if (end_date - start_date).days >= MAX_ENERGY_DAYS:
        raise ValidationFailed.on("end_date", f"The period is limited to {MAX_ENERGY_DAYS} days.")
    zone = ZoneInfo(timezone_name)
    since, until = local_day_bounds(start_date, end_date, zone)
    totals = dict(
        StationEnergyReading.objects.filter(station=station, measured_at__gte=since, measured_at__lt=until)
        .annotate(day=TruncDate("measured_at", tzinfo=zone)).values("day")
        .annotate(energy=Sum("energy_wh")).values_list("day", "energy")
    )
    days = (start_date + timedelta(days=n) for n in range((end_date - start_date).days + 1))
    return [{"date": day, "energy_wh": totals.get(day, 0)} for day in days]


def vehicle_list(*, vehicles: QuerySet) -> QuerySet:
    # at call time: trips imports fleet at load time (a cycle).
    from apps.trips.models import Trip, TripState

    running = Trip.objects.filter(vehicle=OuterRef("pk"), state__in=[TripState.RUNNING, TripState.ON_HOLD])
    return vehicles.select_related("model", "spot__station__cluster").annotate(in_trip=Exists(running))


def vehicle_detail(*, vehicles: QuerySet) -> QuerySet:
    locks = ExternalLock.objects.filter(decommissioned_at__isnull=True)
    return vehicle_list(vehicles=vehicles).prefetch_related(Prefetch("external_locks", queryset=locks, to_attr="active_locks"))


SEVERITY_RANK = Case(*(When(severity=s, then=Value(rank)) for rank, s in enumerate(("low", "high", "critical"))),
                     output_field=IntegerField())

ALERT_FILTERS = {
    "alert_type": "alert_type",
    "alert_severity": "severity",
    "creation_date_min": "created_at__date__gte",
    "creation_date_max": "created_at__date__lte",
    "resolved_at_min": "resolved_at__date__gte",
    "resolved_at_max": "resolved_at__date__lte",
    "user_id": "user_id",
    "email": "user__email__icontains",
    "cluster_name": "cluster__name__icontains",
    "cluster_id": "cluster_id",
    "vehicle_id": "vehicle_id",
    "serial_number": "vehicle__serial_number__iexact",
}


def _alert_rows(alerts: QuerySet) -> QuerySet:
    return alerts.select_related("vehicle__model", "cluster", "user").annotate(severity_rank=SEVERITY_RANK)


def alerts_current(*, alerts: QuerySet) -> QuerySet:
    """Unresolved alerts, most severe first, then newest."""
    return _alert_rows(alerts.filter(resolved_at__isnull=True)).order_by("-severity_rank", "-created_at", "-id")


def alerts_history(*, alerts: QuerySet, filters: dict) -> QuerySet:
    """Resolved alerts with listFleetAlertsHistory's filters (dates are UTC days, bounds inclusive)."""
    require_ordered_ranges(filters, "creation_date", "resolved_at")
    return _alert_rows(filter_by(alerts.filter(resolved_at__isnull=False), filters, ALERT_FILTERS))


def maintenance_rows(*, maintenances: QuerySet) -> QuerySet:
    return maintenances.select_related("type", "vehicle__model", "spot__station__cluster", "station__cluster")


def maintenances_current(*, maintenances: QuerySet) -> QuerySet:
    """Open maintenances of the active fleet: vehicles, spots and stations still in service."""
    active = (Q(vehicle__isnull=False, vehicle__decommissioned_at__isnull=True)
              | Q(spot__isnull=False, spot__station__decommissioned_at__isnull=True)
              | Q(station__isnull=False, station__decommissioned_at__isnull=True))
    return maintenance_rows(maintenances=maintenances.filter(active, ended_at__isnull=True)).order_by("-started_at", "-id")


def maintenance_type_labels(*, lang: str) -> dict[str, str]:
    """key -> label in `lang`, from the localizations `maintenance_type.<key>`; the humanized key otherwise."""
    return localized_values(prefix="maintenance_type.", lang=lang)
