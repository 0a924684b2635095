"""A write's generated success case reads back what it saved (issue 37), as NetBox's API test cases compare the
object with the data they sent (`assertInstanceEqual`).

The harness needs no help from the case: it watches the tables the request wrote (PostgreSQL's per-transaction
counters), reads their rows after the write, undoes the write to a savepoint taken before it and reads them again.
The difference is what the write saved: rows inserted, updated and deleted. Then:
- the write changed at least one row (a service that did nothing fails);
- each body field that names a column of a row it inserted or updated holds the value sent in one of them (`x`, or
  `x_id` for an id, numbers as decimals, dates and times parsed, "HH:MM:SS" as the seconds of the day, lists of ids as
  the ids of the rows it linked);
- a create or an update compares at least one field, unless its body names no column (a flag, a reason kept in a
  log) or the case says how else to read it back;
- a delete removed a row, or marked one as ended.
A case refines this with `read_back(request, body)`, a check of its own run while the write is still in place, where
the outcome is not a row holding the body as sent (a file stored, a mail sent), and with `not_stored` for fields kept
in another form (a password).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import connection, transaction
from django.utils.dateparse import parse_date, parse_datetime, parse_time

# Written on every request or by the audit trail: what they hold says nothing of the write's outcome.
NOT_OUTCOMES = ("audit_accesslog", "auditlog_logentry", "core_idempotencyrecord", "django_session")
ENDED_MARKS = ("deleted_at", "disabled_at", "ended_at", "archived_at", "revoked_at", "decommissioned_at", "closed_at",
               "detached_at", "unblocked_at")


@dataclass
class Changes:
    inserted: dict  # table -> [row]
    updated: dict  # table -> [(before, after)]
    deleted: dict  # table -> [row]

    @property
    def saved_rows(self) -> list[tuple[str, dict]]:
        return ([(table, row) for table, rows in self.inserted.items() for row in rows]
                + [(table, after) for table, pairs in self.updated.items() for _, after in pairs])

    def __bool__(self):
        return any(self.inserted.values()) or any(self.updated.values()) or any(self.deleted.values())


class WriteWatch:
    """Started before a request: what the request then writes, as rows (`changes()`, once, at the end of a test: it
    undoes the write to compare)."""

    def __init__(self):
        assert connection.in_atomic_block, "a write is watched inside the test's transaction"
        self.savepoint = transaction.savepoint()
        self.counts = _write_counts()

    def changes(self) -> Changes:
        tables = sorted(table for table, count in _write_counts().items()
                        if count != self.counts.get(table, 0) and not table.startswith(NOT_OUTCOMES))
        after = {table: _rows(table) for table in tables}
        transaction.savepoint_rollback(self.savepoint)
        before = {table: _rows(table) for table in tables}
        inserted, updated, deleted = {}, {}, {}
        for table in tables:
            old, new = before[table], after[table]
            inserted[table] = [row for key, row in new.items() if key not in old]
            deleted[table] = [row for key, row in old.items() if key not in new]
            updated[table] = [(old[key], row) for key, row in new.items() if key in old and old[key] != row]
        return Changes(inserted, updated, deleted)


def assert_read_back(case, request, body: dict, watch: WriteWatch) -> None:
    operation = case.operation
    if case.read_back is not None:
        case.read_back(request, body)
    changes = watch.changes()
    assert changes, f"{operation.operation_id} answered success and wrote nothing"
    if operation.method == "DELETE":
        ended = [table for table, pairs in changes.updated.items() for before, after in pairs
                 if any(before.get(mark) is None and after.get(mark) is not None for mark in ENDED_MARKS)]
        assert any(changes.deleted.values()) or ended or case.read_back is not None, (
            f"{operation.operation_id} removed no row and marked none as ended")
        return
    sent = {name: value for name, value in (request.body or {}).items() if name not in case.not_stored}
    compared = assert_saved(changes, sent, operation.operation_id)
    names_a_column = any(_columns_for(name, changes) for name in sent)
    assert compared or not names_a_column or case.read_back is not None, (
        f"{operation.operation_id}: none of {sorted(sent)} was saved as sent")


def assert_saved(changes: Changes, sent: dict, what: str) -> list[str]:
    """Each sent field that names a column of a saved row holds its value in one of them; returns those compared."""
    compared = []
    rows = changes.saved_rows
    for name, value in sent.items():
        if isinstance(value, list) and value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            # Ids of rows the write changed or linked (a bulk resolve, a role's permissions).
            linked = {row.get(column) for _, row in rows for column in row if column == "id" or column.endswith("_id")}
            assert set(value) <= linked, f"{what}: {name}={value} names no row the write saved or linked"
            compared.append(name)
            continue
        candidates = [(table, column, row[column]) for table, row in rows for column in _columns_in(name, row)]
        if not candidates:
            continue
        assert any(_same(stored, value) for _, _, stored in candidates), (
            f"{what}: {name} sent {value!r}, saved {[(t, c, s) for t, c, s in candidates][:4]!r}")
        compared.append(name)
    return compared


def _columns_in(name: str, row: dict) -> list[str]:
    name = _SNAKE.sub("_", name).lower()  # the riders' app's PascalCase (PushToken) is the column's push_token
    return [column for column in dict.fromkeys((name, f"{name}_id", name.removesuffix("_id") + "_id")) if column in row]


_SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _columns_for(name: str, changes: Changes) -> bool:
    return any(_columns_in(name, row) for _, row in changes.saved_rows)


def _same(stored, sent) -> bool:
    if isinstance(stored, str) and isinstance(sent, (list, dict)):
        try:
            stored = json.loads(stored)  # a JSON column, read as text
        except ValueError:
            return False
    if isinstance(stored, dict) and isinstance(sent, list) and all(
            isinstance(item, dict) and set(item) == {"key", "value"} for item in sent):
        sent = {item["key"]: item["value"] for item in sent}  # the seed's [{key, value}] kept as one object
    if isinstance(stored, bool) and sent in ("true", "false"):
        sent = sent == "true"  # a multipart form's boolean
    if isinstance(sent, list) and isinstance(stored, list):
        return len(sent) == len(stored) and all(_same(a, b) for a, b in zip(stored, sent))
    if stored is None or sent is None:
        return stored is None and sent in (None, "") or stored == "" and sent is None
    if isinstance(stored, bool) or isinstance(sent, bool):
        return stored is sent
    if isinstance(stored, (Decimal, int, float)):
        if isinstance(sent, str) and ":" in sent:  # a time of day kept as its seconds ("24:00:00": the day's end)
            hours, minutes, seconds = (int(part) for part in sent.split(":"))
            return stored == hours * 3600 + minutes * 60 + seconds
        try:
            return Decimal(str(stored)) == Decimal(str(sent))
        except (InvalidOperation, ValueError):
            return False
    if isinstance(stored, dt.datetime):
        parsed = parse_datetime(sent) if isinstance(sent, str) else None
        if parsed is None:
            return isinstance(sent, str) and parse_date(sent) == stored.date()
        return parsed == stored if parsed.tzinfo else parsed == stored.replace(tzinfo=None)
    if isinstance(stored, dt.date):
        return isinstance(sent, str) and parse_date(sent[:10]) == stored
    if isinstance(stored, dt.time):
        return isinstance(sent, str) and parse_time(sent) == stored
    if isinstance(stored, dt.timedelta):
        return Decimal(str(sent)) == Decimal(str(stored.total_seconds()))
    if isinstance(stored, str) and isinstance(sent, str):
        return stored == sent or ("@" in sent and stored == sent.lower())  # e-mail addresses are kept lowercase
    return stored == sent


def _write_counts() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
                       " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0")
        return dict(cursor.fetchall())


def _primary_keys() -> dict:
    return {model._meta.db_table: model._meta.pk.column for model in apps.get_models(include_auto_created=True)}


def _rows(table: str) -> dict:
    key = _primary_keys().get(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, values)) for values in cursor.fetchall()]
    return {(row[key] if key in row else tuple(sorted(row.items(), key=str))): row for row in rows}
