"""The access log is a PostgreSQL table partitioned by month of `date` (migration 0003): one partition per UTC
month, named audit_accesslog_pYYYYMM, and a default partition that catches a row of a month without one (never
losing a request). The nightly beat creates the coming months ahead of time (`ensure_partitions`); retention drops
whole past months (apps.audit.retention). The primary key is (id, date), as PostgreSQL requires of a partitioned
table; ids still come from one sequence, so Django's `id` stays unique."""
from __future__ import annotations

from datetime import date, datetime, timezone as dt_timezone

from django.db import connection, transaction
from django.utils import timezone

from .models import AccessLog

TABLE = AccessLog._meta.db_table
DEFAULT = f"{TABLE}_default"
MONTHS_AHEAD = 2
_LOCK = 7102  # pg_advisory_xact_lock: partition changes of the access log, one at a time


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_p{month:%Y%m}"


def _bound(month: date) -> str:
    """A month's first instant as a SQL literal (DDL takes no parameters; built from a date, never from input)."""
    return f"'{datetime(month.year, month.month, 1, tzinfo=dt_timezone.utc).isoformat()}'"


def monthly_partitions() -> dict[str, tuple[datetime, datetime]]:
    """The monthly partitions attached now: name -> [from, to)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass""", [TABLE])
        # A bound reads "FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00')".
        return {name: (datetime.fromisoformat(bound.split("'")[1]), datetime.fromisoformat(bound.split("'")[3]))
                for name, bound in cursor.fetchall() if bound != "DEFAULT"}


def ensure_partitions(first: date | None = None, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Create the monthly partitions from `first`'s month (default: this month) to `months_ahead` months ahead;
    those that exist are left alone (idempotent). Rows the default partition caught for a month move into that
    month's new partition. The partitions created."""
    month = month_start(first or timezone.now().date())
    last = month_start(timezone.now().date())
    for _ in range(months_ahead):
        last = next_month(last)
    created = []
    while month <= last:
        if _create(month):
            created.append(partition_name(month))
        month = next_month(month)
    return created


def _create(month: date) -> bool:
    name, low, high = partition_name(month), _bound(month), _bound(next_month(month))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is not None:
            return False
        # Built beside the table, filled from the default partition, then attached: attaching a month whose rows
        # are still in the default partition would fail.
        cursor.execute(f'CREATE TABLE "{name}" (LIKE "{TABLE}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)')
        cursor.execute(f'WITH moved AS (DELETE FROM "{DEFAULT}" WHERE date >= {low} AND date < {high} RETURNING *) '
                       f'INSERT INTO "{name}" SELECT * FROM moved')
        cursor.execute(f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" FOR VALUES FROM ({low}) TO ({high})')
    return True


def drop_partitions_before(cutoff: datetime) -> int:
    """Drop the monthly partitions that end at or before `cutoff` (retention of whole months: no row-by-row
    delete); how many rows they held."""
    dropped = 0
    for name, (_low, high) in sorted(monthly_partitions().items()):
        if high > cutoff:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            cursor.execute(f'SELECT count(*) FROM "{name}"')
            dropped += cursor.fetchone()[0]
            cursor.execute(f'DROP TABLE "{name}"')
    return dropped
