"""Building a list's output from plain rows (`values()`), for lists of hundreds or thousands of rows where a model
instance and a serializer per row cost several times the query. Each list doing so keeps its output serializer
for the docs and has a test holding both outputs equal."""
from django.db.models import OuterRef, Subquery
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


def row_of(model, key: str, column: str | None = None, **columns) -> Subquery:
    """A related row's `column`, or its `columns` as a dict, read by a subquery per row of the page (`key` names the
    page's column holding its id) instead of a join: PostgreSQL plans each subquery on its own, where every join of
    a page over a big, much-indexed table multiplies the plans it weighs (several ms per request)."""
    rows = model._base_manager.filter(pk=OuterRef(key)).order_by()
    return Subquery(rows.values(column) if column else rows.values(json=JSONObject(**columns)))
