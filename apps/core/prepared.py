"""Querysets compiled to SQL once per process, then run with fresh values.

For the few queries that run on every request (reading a user's rights), compiling the ORM expression costs
more than running it. A `PreparedQuery` builds its queryset with sentinel values in place of the values that
change, keeps the SQL and the position of each sentinel among the parameters, and later runs that SQL with the
real values. Sentinels must be values no real call uses (a list of such values for an `= ANY(%s)` parameter).
"""
from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router


class PreparedQuery:
    def __init__(self, build: Callable[..., object], **sentinels):
        self._build = build
        self._sentinels = sentinels
        self._compiled: tuple[str, list, list[str]] | None = None

    def _compile(self):
        queryset = self._build(**self._sentinels)
        sql, params = queryset.query.sql_with_params()
        by_value = {value: name for name, value in self._sentinels.items() if _hashable(value)}
        # A list parameter (`= ANY(%s)`, core.filters.equals_any) is found by equality with a list sentinel.
        lists = [(value, name) for name, value in self._sentinels.items() if isinstance(value, list)]
        slots = [by_value.get(param) if _hashable(param) else next((name for value, name in lists if value == param),
                                                                    None) for param in params]
        columns = list(queryset.query.values_select) + list(queryset.query.annotation_select)
        return sql, list(params), slots, columns, queryset.model

    def statement(self, **values) -> tuple:
        """(model, SQL, parameters) with these values, and a function turning its rows into dicts."""
        if self._compiled is None:
            self._compiled = self._compile()
        sql, params, slots, columns, model = self._compiled
        bound = [values[slot] if slot else param for param, slot in zip(params, slots)]
        return (model, sql, bound), lambda rows: [dict(zip(columns, row)) for row in rows]

    def rows(self, **values) -> list[dict]:
        statement, as_dicts = self.statement(**values)
        return as_dicts(read_rows(*statement))

    @staticmethod
    def rows_of_each(*calls: tuple[PreparedQuery, dict]) -> list[list[dict]]:
        """The rows of several prepared queries, each with its values, in one round trip per database."""
        statements, converters = zip(*(query.statement(**values) for query, values in calls)) if calls else ((), ())
        return [as_dicts(rows) for as_dicts, rows in zip(converters, read_rows_of_each(statements))]

    def reset(self) -> None:
        self._compiled = None


def read_rows(model, sql: str, params) -> list[tuple]:
    """Run a fixed read statement about `model` (one the ORM cannot say, or need not compile on every request) on
    the database the ORM would read `model` from: the replica, when a read-only request may use it."""
    return read_rows_of_each([(model, sql, params)])[0]


def read_rows_of_each(statements) -> list[list[tuple]]:
    """read_rows for several (model, SQL, parameters) statements: those read from the same database are sent
    together, in one round trip (a multi-statement query, whose results are read one after another)."""
    results: list = [None] * len(statements)
    by_database: dict[str, list[int]] = {}
    for n, (model, _sql, _params) in enumerate(statements):
        by_database.setdefault(router.db_for_read(model), []).append(n)
    for alias, numbers in by_database.items():
        with connections[alias].cursor() as cursor:
            cursor.execute("; ".join(statements[n][1] for n in numbers),
                           [param for n in numbers for param in statements[n][2]])
            for first, n in enumerate(numbers):
                if first:
                    cursor.nextset()
                results[n] = cursor.fetchall()
    return results


def copied_as_csv(model, sql: str, params) -> bytes:
    """A read statement's rows as CSV with a header row, written by PostgreSQL (`COPY (...) TO STDOUT`) on the
    database the ORM would read `model` from: no Python object per value, for answers of tens of thousands of rows."""
    return _copied(model, sql, params, "FORMAT csv, HEADER")


def copied_as_json_lines(model, sql: str, params, *, order_by: str) -> bytes:
    """A read statement's rows as JSON objects written by PostgreSQL (`row_to_json`), one line each, keyed by the
    statement's column names, in the order of `order_by` (columns of `line`). They come through COPY in CSV with a
    quote and a delimiter that JSON text never holds unescaped (control characters): no line is quoted, each is the
    object as PostgreSQL wrote it."""
    return _copied(model, f"SELECT row_to_json(line) FROM ({sql}) AS line ORDER BY {order_by}", params,
                   "FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02'")


def _copied(model, sql: str, params, options: str) -> bytes:
    # COPY takes no parameters: the client-side cursor binds them into the text first.
    with connections[router.db_for_read(model)].cursor() as cursor:
        statement = cursor.mogrify(sql, params)
        with cursor.copy(f"COPY ({statement}) TO STDOUT WITH ({options})") as copy:
            return b"".join(bytes(block) for block in copy)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
