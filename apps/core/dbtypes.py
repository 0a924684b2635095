"""psycopg's C loader for `timestamptz`, given back to Django's connections; binary results for big `bytea` reads.

Django registers its own loader for `timestamptz` (to attach its connection's time zone), subclassing psycopg's
pure-Python one: every timestamp read is then parsed by a regular expression in Python (~1 ms for a page of 50
trips, a tenth of the request). The C loader (psycopg-binary) gives the same value: an aware datetime in the
session's time zone, which Django sets to its connection's (`SET TIME ZONE` when the connection opens). The
wrapper only adds the `timezone` attribute Django's cursors compare before deciding to register their own (a
compiled class cannot be subclassed).
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

import psycopg
from psycopg.adapt import Loader
from psycopg.pq import Format
from django.db import connections
from django.db.backends.signals import connection_created
import orjson

TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid


@lru_cache
def timestamptz_loader(zone):
    # psycopg's default: the C implementation where psycopg-binary (or psycopg-c) is installed.
    compiled = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)

    class TimestamptzLoader(Loader):
        timezone = zone

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._load = compiled(oid, context).load

        def load(self, data):
            return self._load(data)

    return TimestamptzLoader


def use_compiled_timestamp_loader(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql":
        if connection.timezone is not None:  # None: naive datetimes (USE_TZ off)
            connection.connection.adapters.register_loader("timestamptz", timestamptz_loader(connection.timezone))
        # Binary results (binary_results below) give jsonb as text too, as Django's JSONField reads it.
        connection.connection.adapters.register_loader("jsonb", JsonbBinaryAsText)


class JsonbBinaryAsText(Loader):
    format = Format.BINARY

    def load(self, data):
        return bytes(data[1:]).decode()  # a version byte (1), then the JSON text


class BinaryResultsCursor(psycopg.Cursor):
    """A cursor binding its parameters on the server, so that results can come back in binary. Never prepared: a
    statement prepared on one server connection would be unknown to the next behind PgBouncer in transaction
    mode."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=False, binary=True)


@contextmanager
def binary_results(alias: str):
    """Queries run on connection `alias` inside this block read their results in PostgreSQL's binary format.

    For reads of many `bytea` values (a year of stored day summaries: 5.5 MB): in text they travel as hex, twice
    their size, and are unescaped on arrival (Metro's 365 days: 50 ms against 22 in binary). The queries still go
    through Django's cursor (logged, counted, wrapped); integers, dates, times, arrays and jsonb (JsonbBinaryAsText)
    come out as the text format gives them."""

    connection = connections[alias]
    connection.ensure_connection()
    native = connection.connection
    factory = native.cursor_factory
    native.cursor_factory = BinaryResultsCursor
    try:
        yield
    finally:
        native.cursor_factory = factory


def connect() -> None:
    connection_created.connect(use_compiled_timestamp_loader, dispatch_uid="core.dbtypes")


def json_recordset(rows: list[dict], columns: dict[str, str], alias: str = "r") -> tuple[str, list]:
    """A FROM item over `rows`, sent as one JSON parameter: (`json_to_recordset(%s::json) AS alias(col type, ...)`,
    [the JSON]). Bulk writes of many rows bind one string instead of one placeholder per value, or an array per
    column that psycopg escapes element by element in Python (both cost more than PostgreSQL spends on the rows)."""

    typed = ", ".join(f"{name} {sql_type}" for name, sql_type in columns.items())
    return f"json_to_recordset(%s::json) AS {alias}({typed})", [orjson.dumps(rows).decode()]
