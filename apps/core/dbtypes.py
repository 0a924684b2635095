"""psycopg's C loader for `timestamptz`, given back to Django's connections.

Django registers its own loader for `timestamptz` (to attach its connection's time zone), subclassing psycopg's
pure-Python one: every timestamp read is then parsed by a regular expression in Python (~1 ms for a page of 50
trips, a tenth of the request). The C loader (psycopg-binary) gives the same value: an aware datetime in the
session's time zone, which Django sets to its connection's (`SET TIME ZONE` when the connection opens). The
wrapper only adds the `timezone` attribute Django's cursors compare before deciding to register their own (a
compiled class cannot be subclassed).
"""
from __future__ import annotations

from functools import lru_cache

import psycopg
from psycopg.adapt import Loader
from psycopg.pq import Format

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
    if connection.vendor == "postgresql" and connection.timezone is not None:  # None: naive datetimes (USE_TZ off)
        connection.connection.adapters.register_loader("timestamptz", timestamptz_loader(connection.timezone))


def connect() -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(use_compiled_timestamp_loader, dispatch_uid="core.dbtypes")
