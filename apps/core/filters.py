"""Turning a list operation's validated query into ORM filters."""
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL


def filter_by(queryset: QuerySet, values: dict, lookups: dict[str, str]) -> QuerySet:
    """Apply `lookups` (parameter name -> ORM lookup) for each parameter given; None or [] is "not given"."""
    applied = {lookup: values[name] for name, lookup in lookups.items() if values.get(name) not in (None, [])}
    return queryset.filter(**applied)


def email_matches_pattern(email: str, pattern_column: str) -> Q:
    """Rows whose `pattern_column` (a LIKE pattern operators typed, stored lowercase; see check_like_pattern)
    matches `email`: PostgreSQL's LIKE decides, so `%` and `_` mean what operators expect."""
    return Q(RawSQL(f"%s LIKE {pattern_column}", (email.lower(),), output_field=BooleanField()))
