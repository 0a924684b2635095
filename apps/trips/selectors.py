from django.db.models import QuerySet

from apps.core.api.params import require_ordered_ranges
from apps.core.filters import filter_by

TRIP_FILTERS = {
    "state": "state__in",
    "start_date_min": "started_at__gte",
    "start_date_max": "started_at__lte",
    "end_date_min": "ended_at__gte",
    "end_date_max": "ended_at__lte",
    "trip_id_min": "id__gte",
    "trip_id_max": "id__lte",
    "serial_number": "vehicle__serial_number__iexact",
    "model_name": "vehicle__model__name__iexact",
    "demo": "demo",
    "email": "rider__email__icontains",
    "user_id": "rider_id",
    "cluster_start_name": "start_cluster__name__icontains",
    "cluster_start_id": "start_cluster_id",
    "cluster_end_name": "end_cluster__name__icontains",
    "cluster_end_id": "end_cluster_id",
    "duration_min": "duration__gte",
    "duration_max": "duration__lte",
    "distance_min": "distance__gte",
    "distance_max": "distance__lte",
}


def trip_list(queryset: QuerySet, filters: dict) -> QuerySet:
    """listTrips filters (the networks are applied by the view, inside the caller's scope): bounds inclusive, names and emails by substring (case-insensitive), serial
    numbers and model names exactly (case-insensitive)."""
    require_ordered_ranges(filters, "start_date", "end_date", "trip_id", "duration", "distance")
    return filter_by(queryset, filters, TRIP_FILTERS).select_related("rider", "vehicle__model", "start_cluster", "end_cluster")
