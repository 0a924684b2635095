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


def equals_any(model, column: str, values) -> Q:
    """`column = ANY(array)`: the same rows as `column__in`, but PostgreSQL does not fold it into a constant, so an
    ORDER BY that starts with `column` keeps using a (column, id) index. For a list of one network PostgreSQL would
    otherwise walk the primary key past every newer row of other networks (issue 20's planner trap)."""
    table = model._meta.db_table
    return Q(RawSQL(f'"{table}"."{column}" = ANY(%s)', (list(values),), output_field=BooleanField()))
