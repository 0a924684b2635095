"""Building a list's output from plain rows (`values()`), for lists of hundreds or thousands of rows where a model
instance and a serializer per row cost several times the query. Each list doing so keeps its output serializer
for the docs and has a test holding both outputs equal."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import timezone as dt_timezone

from django.db.models import F, Field, Func
from django.utils import timezone

from apps.core.filters import equals_any
from apps.core.prepared import PreparedQuery


def in_current_zone(rows: list[dict], *keys: str) -> list[dict]:
    """The times at `keys` of plain rows as DRF's DateTimeField gives them: in the current time zone. The renderer
    writes a datetime as that field does (ISO 8601, "Z" for UTC; apps.core.api.renderers), so the rows keep their
    datetimes; values read from the database are in UTC already (apps.core.dbtypes), and in a UTC zone, the
    default, they are left as they are."""
    zone = timezone.get_current_timezone()
    in_utc = getattr(zone, "key", None) == "UTC"
    for row in rows:
        for key in keys:
            value = row[key]
            if value is None or (in_utc and value.tzinfo is dt_timezone.utc):
                continue
            row[key] = value.astimezone(zone) if timezone.is_aware(value) else timezone.make_aware(value, zone)
    return rows


class JsonNumber(Func):
    """A decimal column read as the renderer writes it: a JSON number, the Decimal's nearest double (money columns
    have at most 15 significant digits, which a double prints back exactly). psycopg loads the float; the generic
    output field spares Django's per-value converter (a FloatField's float() on every value)."""

    template = "%(expressions)s::float8"
    output_field = Field()

    def __init__(self, column: str):
        super().__init__(F(column))


def named(pk, name) -> dict | None:
    """How a response names a related row ({id, name}, IdNameOut), or None."""
    return None if pk is None else {"id": pk, "name": name}


class RowsById:
    """Some columns of the rows of `model` with given ids (a page's riders, vehicles, clusters), by one statement
    compiled once per process (apps.core.prepared). A page over a big, much-indexed table reads its own columns
    alone, then its related rows' names by id: with joins PostgreSQL weighed join orders for several ms per page;
    with a subquery per row it ran 200 lookups (a seq scan each over a small table it judged too small for its
    index: ~1.5 ms a page of 50); the ORM's compiling of either cost more than the reading."""

    def __init__(self, model, *columns: str, **expressions):
        self._key = model._meta.pk.attname
        self._query = PreparedQuery(
            lambda ids: model._base_manager.filter(equals_any(model, self._key, ids)).order_by()
            .values(self._key, *columns, **expressions), ids=[_NO_ID])

    @staticmethod
    def each(*lookups: tuple[RowsById, Iterable]) -> list[dict]:
        """For each (RowsById, ids): {id: {"id": id, column: value, ...}} for the distinct ids (None skipped), in one
        round trip. The same dict serves every row of a page naming that id (the output only reads it)."""
        wanted = [sorted({pk for pk in ids if pk is not None}) for _lookup, ids in lookups]
        # The ids as one array literal: psycopg's client-side binding quotes a list element by element (~1 ms for a
        # page of 500's 1,300 ids); PostgreSQL reads '{1,2}' as the column's array type.
        asked = [(lookup._query, {"ids": f"{{{','.join(map(str, ids))}}}"})
                 for (lookup, _ids), ids in zip(lookups, wanted) if ids]
        found = iter(PreparedQuery.rows_of_each(*asked))
        return [{row[lookup._key]: row for row in next(found)} if ids else {}
                for (lookup, _ids), ids in zip(lookups, wanted)]


_NO_ID = -7_000_000_021  # no row has this id: marks the id list in the compiled statement
