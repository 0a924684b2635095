"""Keyset pagination on (sort key, id), as docs/api.md "Pagination" describes.

The page after `last_primary_key` starts strictly after that row's (sort value, id) pair, so a walk over
all pages returns every row once even when sort values tie; NULL sort values come last in both directions.
A page costs three queries whatever its size: the total, the cursor row's sort value, the rows.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from apps.core.exceptions import ValidationFailed

DEFAULT_PAGE_SIZE = 20


@dataclass
class Page:
    rows: list
    total: int


def _nullable(queryset: QuerySet, field: str) -> bool:
    """Whether `field` may hold NULL; annotations and related paths are assumed to."""
    try:
        return queryset.model._meta.get_field(field).null
    except FieldDoesNotExist:
        return True


def _after(field: str, value, descending: bool) -> Q:
    return Q(**{f"{field}__lt" if descending else f"{field}__gt": value})


@dataclass
class Part:
    """One of the disjoint pieces a list is merged from (one network's rows): its rows, with the page's columns,
    the sort key and the id among them; how many they are; the column it holds at one value (`constant`, as for a
    one-network list) and, optionally, the same rows without the output's joins (`bare`)."""
    rows: QuerySet
    total: int
    constant: str | None = None
    bare: QuerySet | None = None


@dataclass(frozen=True)
class Spread:
    """The list's rows lie at the few values of an integer `column` from `low` to `high` (trips of 300 s or less:
    301 durations), and an index orders each value's rows by the sort key (network, column, key, id). A page is then
    each value's first page_size rows after the cursor, one short descent of that index per value (a LATERAL join over
    the values), merged: a few thousand index entries, where finding every row of the range and sorting them reads
    all of them (Metro's 528,000 trips of 300 s or less: 104 ms)."""
    column: str
    low: int
    high: int

    # A descent costs about as much as reading this many rows of the range: below it, finding and sorting is cheaper.
    ROWS_PER_VALUE = 20

    def pays_for(self, total: int) -> bool:
        return total >= (self.high - self.low + 1) * self.ROWS_PER_VALUE

    def first_ids(self, rows: QuerySet, order: _Order, page_size: int) -> RawSQL:
        """The ids of the page_size first `rows` after the cursor in the page's order, as a subquery."""
        at_value = rows.filter(**{self.column: RawSQL("spread.value", (), output_field=IntegerField())})
        per_value = order.apply(at_value, found_first=False, constant=None).values_list("pk", order.sort_field)
        sql, params = per_value[:page_size].query.sql_with_params()
        nulls = " NULLS LAST" if _nullable(rows, order.sort_field) else ""
        return RawSQL(f"SELECT page.id FROM generate_series(%s, %s) AS spread(value) CROSS JOIN LATERAL ({sql}) "
                      f"AS page(id, key) ORDER BY page.key {'DESC' if order.sort_desc else 'ASC'}{nulls}, "
                      f"page.id {'DESC' if order.pk_desc else 'ASC'} LIMIT %s",
                      (self.low, self.high, *params, page_size))


def keyset_page(queryset: QuerySet, params: dict, sort_fields: dict[str, str] | None = None, *,
                total: int | None = None, constant: str | None = None, sort_below: int | None = None,
                bare: QuerySet | None = None, parts: list[Part] | None = None, spread: Spread | None = None) -> Page:
    """One page of `queryset` for the validated query `params` (page_size, last_primary_key,
    primary_key_dir, sort_by, sort_dir). `sort_fields` maps public sort keys to model fields; `total`, when the
    caller knows it cheaper than a COUNT(*) (stored counts), spares that query. `constant` names a column the
    queryset holds at one value (the one network asked for): ordering by it first changes nothing in the order but
    lets PostgreSQL walk the (column, id) index instead of the primary key, which it would otherwise scan past every
    other network's newer rows. `sort_below`: when a filtered list holds fewer rows than this (its total says so),
    its rows are found first and sorted (by the sort key, or by id), instead of walking the key's index through
    every row of the network (a filter matching few rows, or none, would read the whole index for one page); given
    `bare`, the same rows without the joins of the output's columns, the page's ids are sorted over it, then only
    their rows are read.

    `parts`: the same rows as `queryset`, split into disjoint pieces each of which one index orders (a list over
    several networks: each network's (network, key, id) index). Each piece with rows gives the ids and sort values of
    its first page_size rows after the cursor, in the page's order, as it would alone (its own total decides whether
    its rows are found then sorted); one statement joins them (UNION ALL) and keeps the first page_size, whose rows
    are then read by id. Over several networks PostgreSQL otherwise read every matching row of all of them and
    sorted them (three networks' 10M trips by duration: 3 s, a parallel scan of the table; merged: 11 ms).

    `spread`: the rows lie at a few values of an integer column (a Spread): a list or part with enough rows for it to
    pay finds its page's ids one value at a time, then sorts only those."""
    page_size = params.get("page_size") or DEFAULT_PAGE_SIZE
    last_pk = params.get("last_primary_key")
    pk_desc = (params.get("primary_key_dir") or "DESC") == "DESC"
    sort_key = params.get("sort_by")
    sort_field = (sort_fields or {}).get(sort_key) if sort_key else None
    sort_desc = (params.get("sort_dir") or "DESC") == "DESC"

    if parts is not None:
        live = [part for part in parts if part.total]
        total = sum(part.total for part in parts) if total is None else total
        if len(live) == 1:
            part = live[0]
            return Page(rows=keyset_page(part.rows, params, sort_fields, total=part.total, constant=part.constant,
                                         sort_below=sort_below, bare=part.bare, spread=spread).rows, total=total)
        if not live and last_pk is None:
            return Page(rows=[], total=total)
    else:
        total = queryset.count() if total is None else total
    if total == 0 and last_pk is None:  # nothing matches: no page to read (a wrong estimate could make it costly)
        return Page(rows=[], total=0)
    cursor = _cursor_value(queryset, sort_field, last_pk) if last_pk is not None and sort_field else None
    order = _Order(sort_field, sort_desc, pk_desc, last_pk, cursor)
    if parts is not None and live:
        # Each branch gives its ids and sort values alone (off the key's index, or found and sorted over the rows
        # alone: a duration range by distance reads the covering index and no table row), then the page's rows.
        pieces = []
        for part in live:
            source, found_first = _source(part.rows, part.bare, part.total, order=order, sort_below=sort_below,
                                          spread=spread, page_size=page_size)
            branch = order.apply(source, found_first=found_first, constant=part.constant)
            pieces.append(branch.values_list("pk", *([sort_field] if sort_field else []))[:page_size])
        pk_name = queryset.model._meta.pk.attname
        outer = [order.key(F(sort_field), nullable=_nullable(queryset, sort_field))] if sort_field else []
        merged = pieces[0].union(*pieces[1:], all=True).order_by(*outer, f"-{pk_name}" if pk_desc else pk_name)
        return Page(rows=_rows_in_order(queryset, [row[0] for row in merged[:page_size]]), total=total)

    source, found_first = _source(queryset, bare, total, order=order, sort_below=sort_below, spread=spread,
                                  page_size=page_size)
    ordered = order.apply(source, found_first=found_first, constant=constant)
    if source is not queryset:
        # The page's ids first, sorted over the rows alone, then their rows: the joins of the output's columns run
        # for one page rather than for every row found before the sort.
        return Page(rows=_rows_in_order(queryset, list(ordered.values_list("pk", flat=True)[:page_size])), total=total)
    return Page(rows=list(ordered[:page_size]), total=total)


def _source(rows: QuerySet, bare: QuerySet | None, total: int, *, order: _Order, sort_below: int | None,
            spread: Spread | None, page_size: int) -> tuple[QuerySet, bool]:
    """What a list (or one part of it) reads its page's ids from, and whether they are found first, then sorted:
    `rows`, walked in order off the sort key's index; below `sort_below` matches, the rows found then sorted (over
    `bare`, the rows without the output's joins, when given); with a `spread` that pays, the few rows its per-value
    descents give, sorted."""
    alone = bare if bare is not None else rows
    if spread is not None and order.sort_field and spread.pays_for(total):
        return alone.filter(pk__in=spread.first_ids(alone, order, page_size)), True
    found_first = sort_below is not None and total < sort_below
    return (alone if found_first and order.sort_field else rows), found_first


def _rows_in_order(queryset: QuerySet, ids: list) -> list:
    """The rows of `queryset` with these ids, in their order: model instances, values() dicts, or values_list()
    tuples with the id first."""
    rows = list(queryset.filter(pk__in=ids)) if ids else []
    place = {pk: n for n, pk in enumerate(ids)}
    pk_name = queryset.model._meta.pk.attname
    rows.sort(key=lambda row: place[row[pk_name] if isinstance(row, dict) else row[0] if isinstance(row, tuple)
                                    else row.pk])
    return rows


def _cursor_value(queryset: QuerySet, sort_field: str, last_pk: int):
    """The sort key's value at the cursor's row (-2 naming last_primary_key when the list has no such row)."""
    cursor = list(queryset.filter(pk=last_pk).values_list(sort_field, flat=True)[:1])
    if not cursor:
        raise ValidationFailed.on("last_primary_key", "No row of this list has this id.")
    return cursor[0]


@dataclass
class _Order:
    """A page's order and the seek past its cursor, applied to a list or to each part of one."""
    sort_field: str | None
    sort_desc: bool
    pk_desc: bool
    last_pk: int | None
    cursor: object  # the sort key's value at the cursor's row

    def key(self, expression, *, nullable: bool):
        # NULLS LAST only where NULLs can be: on a NOT NULL column it would keep PostgreSQL off the column's index.
        nulls = {"nulls_last": True} if nullable else {}
        return expression.desc(**nulls) if self.sort_desc else expression.asc(**nulls)

    def apply(self, queryset: QuerySet, *, found_first: bool, constant: str | None) -> QuerySet:
        sort_field, pk_desc = self.sort_field, self.pk_desc
        pk_order = "-pk" if pk_desc else "pk"
        if found_first and not sort_field:
            # By id too: COALESCE(id, id), in the order and in the seek, matches no index, so PostgreSQL finds the few
            # rows through the filter's own index and sorts them. Else it walked the id index, or intersected the
            # filter's rows with a range of it misestimated at half the network (docs/performance.md). One
            # statement: the page's rows are the sorted rows.
            key = Coalesce(F("pk"), F("pk"))
            ordered = queryset.order_by(key.desc() if pk_desc else key.asc())
        elif sort_field:
            # COALESCE(key, key) is the key, but no index matches it: PostgreSQL finds the few rows, then sorts them.
            key = Coalesce(F(sort_field), F(sort_field)) if found_first else F(sort_field)
            ordered = queryset.order_by(self.key(key, nullable=_nullable(queryset, sort_field)), pk_order)
        elif constant:
            ordered = queryset.order_by(constant if pk_desc else f"-{constant}", pk_order)
        else:
            ordered = queryset.order_by(pk_order)
        if self.last_pk is None:
            return ordered
        after_pk = _after("pk", self.last_pk, pk_desc)
        if found_first and not sort_field:
            after_pk = Q(**{"id_key__lt" if pk_desc else "id_key__gt": self.last_pk})
            ordered = ordered.alias(id_key=Coalesce(F("pk"), F("pk")))
        if not sort_field:
            return ordered.filter(after_pk)
        if self.cursor is None:
            return ordered.filter(Q(**{f"{sort_field}__isnull": True}) & after_pk)
        return ordered.filter(
            _after(sort_field, self.cursor, self.sort_desc)
            | (Q(**{sort_field: self.cursor}) & after_pk)
            | Q(**{f"{sort_field}__isnull": True})
        )
