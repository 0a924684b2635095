"""Reads of the physical fleet; counts come as subquery annotations so a list costs a fixed number of queries."""
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import ClusterDescription, Spot, Station, Vehicle


def _count(queryset, group_field: str):
    counted = queryset.values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_availability(clusters: QuerySet) -> QuerySet:
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


def cluster_search(clusters: QuerySet, *, name: str, badge_reader: bool | None, limit: int = 50) -> QuerySet:
    """Clusters whose name contains `name` (case-insensitive), in service, best matches first (prefix, then name)."""
    found = clusters.filter(name__icontains=name, decommissioned_at__isnull=True)
    if badge_reader is not None:
        found = found.filter(badge_reader=badge_reader)
    return found.annotate(
        is_prefix=Q(name__istartswith=name)
    ).order_by("-is_prefix", "name", "id")[:limit]


def cluster_detail(clusters: QuerySet, *, lang: str) -> QuerySet:
    descriptions = ClusterDescription.objects.filter(lang=lang.lower())
    return with_availability(clusters).prefetch_related(
        Prefetch("descriptions", queryset=descriptions, to_attr="localized"), "pictures")
