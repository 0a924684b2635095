"""Correlated counts used as annotations (one query for a whole list, whatever the number of rows)."""
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet, outer_field: str, outer_ref: str = "pk"):
    """How many rows of `queryset` have `outer_field` equal to the outer row's `outer_ref` (0 when none)."""
    counted = (queryset.filter(**{outer_field: OuterRef(outer_ref)}).order_by().values(outer_field)
               .annotate(n=Count("*")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
