"""Turning a list operation's validated query into ORM filters."""
from django.db.models import QuerySet


def filter_by(queryset: QuerySet, values: dict, lookups: dict[str, str]) -> QuerySet:
    """Apply `lookups` (parameter name -> ORM lookup) for each parameter given; None or [] is "not given"."""
    applied = {lookup: values[name] for name, lookup in lookups.items() if values.get(name) not in (None, [])}
    return queryset.filter(**applied)
