"""Building a list's output from plain rows (`values()`), for lists of hundreds or thousands of rows where a model
instance and a serializer per row cost several times the query. Each list doing so keeps its output serializer
for the docs and has a test holding both outputs equal."""
from django.db.models import JSONField
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject
from django.utils import timezone


def time_formatter():
    """DRF's rendering of a time (in the current time zone, ISO 8601, "Z" for UTC), with the zone looked up once
    for a whole list rather than per value."""
    zone = timezone.get_current_timezone()

    def time(value):
        if value is None:
            return None
        text = (value.astimezone(zone) if timezone.is_aware(value) else value).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return time


def named(pk, name) -> dict | None:
    """How a response names a related row ({id, name}, IdNameOut), or None."""
    return None if pk is None else {"id": pk, "name": name}


def row_of(model, outer, key: str, column: str | None = None, **columns) -> RawSQL:
    """A related row's `column`, or its `columns` as a dict, read by a subquery per row of a page of `outer` (`key`
    names the page's column holding its id) instead of a join: PostgreSQL plans each subquery on its own, where
    every join of a page over a big, much-indexed table multiplies the plans it weighs (several ms per request).
    Compiled here once (call it once per process, e.g. under functools.cache): the ORM's compiling of such
    subqueries cost more than running them. The page must read `outer`'s table under its own name (a base query)."""
    rows = model._base_manager.filter(pk=RawSQL(f'"{outer._meta.db_table}"."{key}"', ())).order_by()
    if column:
        sql, params = rows.values(column).query.sql_with_params()
        return RawSQL(f"({sql})", params, output_field=model._meta.get_field(column))
    sql, params = rows.values(json=JSONObject(**columns)).query.sql_with_params()
    return RawSQL(f"({sql})", params, output_field=JSONField())
