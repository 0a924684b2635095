from django.db.models import QuerySet

from apps.core.filters import filter_by


def access_log_filter(*, queryset: QuerySet, filters: dict) -> QuerySet:
    """listAccessLogs filters. Paths match by prefix, user agents by substring (case-insensitive), the
    verb case-insensitively, the IP exactly; date and code bounds are inclusive."""
    lookups = {
        "date_min": "date__gte",
        "date_max": "date__lte",
        "user_id": "user_id",
        "target_path": "target_path__startswith",
        "verb": "verb__iexact",
        "user_agent": "user_agent__icontains",
        "ip": "ip",
        "http_code_min": "http_code__gte",
        "http_code_max": "http_code__lte",
        "knot_code_min": "knot_code__gte",
        "knot_code_max": "knot_code__lte",
    }
    return filter_by(queryset, filters, lookups)
