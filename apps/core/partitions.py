"""Tables partitioned by time range in PostgreSQL: one partition per UTC month or day, named <table>_pYYYYMM or
<table>_pYYYYMMDD, and a default partition that catches a row of a period without one (never losing it). The beat
creates the coming periods ahead of time (`ensure`); retention drops whole past periods (`drop_before`), never row
by row. The access log (apps.audit, monthly) and the vehicles' telemetry (apps.telemetry, daily) use it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone as dt_timezone

from django.db import connection, transaction
from django.utils import timezone


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(frozen=True)
class RangePartitions:
    table: str
    column: str
    lock: int  # pg_advisory_xact_lock key: partition changes of one table, one at a time
    period: str = "month"  # month | day
    ahead: int = 2  # periods created ahead of the current one

    @property
    def default(self) -> str:
        return f"{self.table}_default"

    def start(self, day: date) -> date:
        return month_start(day) if self.period == "month" else day

    def following(self, start: date) -> date:
        return next_month(start) if self.period == "month" else start + timedelta(days=1)

    def name(self, start: date) -> str:
        return f"{self.table}_p{start:%Y%m}" if self.period == "month" else f"{self.table}_p{start:%Y%m%d}"

    @staticmethod
    def _bound(start: date) -> str:
        """A period's first instant as a SQL literal (DDL takes no parameters; built from a date, never from input)."""
        return f"'{datetime(start.year, start.month, start.day, tzinfo=dt_timezone.utc).isoformat()}'"

    def attached(self) -> dict[str, tuple[datetime, datetime]]:
        """The partitions attached now (the default one aside): name -> [from, to)."""
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
                JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass""", [self.table])
            # A bound reads "FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00')".
            return {name: (datetime.fromisoformat(bound.split("'")[1]), datetime.fromisoformat(bound.split("'")[3]))
                    for name, bound in cursor.fetchall() if bound != "DEFAULT"}

    def ensure(self, first: date | None = None, ahead: int | None = None) -> list[str]:
        """Create the partitions from `first`'s period (default: the current one) to `ahead` periods after the current
        one; those that exist are left alone (idempotent). Rows the default partition caught for a period move into
        its new partition. The partitions created."""
        today = timezone.now().date()
        start, last = self.start(first or today), self.start(today)
        for _ in range(self.ahead if ahead is None else ahead):
            last = self.following(last)
        created = []
        while start <= last:
            if self._create(start):
                created.append(self.name(start))
            start = self.following(start)
        return created

    def _create(self, start: date) -> bool:
        name, low, high = self.name(start), self._bound(start), self._bound(self.following(start))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self.lock])
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is not None:
                return False
            # Built beside the table, filled from the default partition, then attached: attaching a period whose
            # rows are still in the default partition would fail.
            cursor.execute(f'CREATE TABLE "{name}" (LIKE "{self.table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)')
            cursor.execute(f'WITH moved AS (DELETE FROM "{self.default}" WHERE "{self.column}" >= {low} '
                           f'AND "{self.column}" < {high} RETURNING *) INSERT INTO "{name}" SELECT * FROM moved')
            cursor.execute(f'ALTER TABLE "{self.table}" ATTACH PARTITION "{name}" FOR VALUES FROM ({low}) TO ({high})')
        return True

    def drop_before(self, cutoff: datetime) -> int:
        """Drop the partitions that end at or before `cutoff`; how many rows they held."""
        dropped = 0
        for name, (_low, high) in sorted(self.attached().items()):
            if high > cutoff:
                continue
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self.lock])
                cursor.execute(f'SELECT count(*) FROM "{name}"')
                dropped += cursor.fetchone()[0]
                cursor.execute(f'DROP TABLE "{name}"')
        return dropped
