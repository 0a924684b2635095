"""The access log is a PostgreSQL table partitioned by month of `date` (migration 0003; apps.core.partitions): one
partition per UTC month, named audit_accesslog_pYYYYMM, and a default partition that catches a row of a month without
one (never losing a request). The nightly beat creates the coming months ahead of time (`ensure_partitions`);
retention drops whole past months (apps.audit.retention). The primary key is (id, date), as PostgreSQL requires of a
partitioned table; ids still come from one sequence, so Django's `id` stays unique."""
from __future__ import annotations

from datetime import date, datetime

from apps.core.partitions import RangePartitions, month_start, next_month  # noqa: F401 (the tests' calendar)

from .models import AccessLog

ACCESS_LOG = RangePartitions(table=AccessLog._meta.db_table, column="date", lock=7102, period="month", ahead=2)
TABLE = ACCESS_LOG.table
DEFAULT = ACCESS_LOG.default
MONTHS_AHEAD = ACCESS_LOG.ahead


def partition_name(month: date) -> str:
    return ACCESS_LOG.name(month)


def monthly_partitions() -> dict[str, tuple[datetime, datetime]]:
    """The monthly partitions attached now: name -> [from, to)."""
    return ACCESS_LOG.attached()


def ensure_partitions(first: date | None = None, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Create the monthly partitions from `first`'s month (default: this month) to `months_ahead` months ahead
    (idempotent); the partitions created."""
    return ACCESS_LOG.ensure(first, months_ahead)


def drop_partitions_before(cutoff: datetime) -> int:
    """Drop the monthly partitions that end at or before `cutoff`; how many rows they held."""
    return ACCESS_LOG.drop_before(cutoff)
