"""A process's decoded copy of some encoded parts of the stored days (TripDay), for the requests that read them over
months or years of several networks.

Read from the rows, such a request fetches every day's encoded part and decodes it: listTrips' exact total of a
distance range over three networks' 1,577 days fetched ~1,600 pairs of sorted distances (~30 ms) and searched each
day's skip index (~35 ms); a year's heatmap of three networks fetched and inflated ~1,100 days of cells (~40 ms).
Here each network's days are decoded once per process and kept as numpy arrays, one per day.

A day is known by its row's id and computation time. A request names the days it reads (the rows it listed, without
their parts); a day stored anew (a later refresh, or a trip's write that dropped it and a refresh that stored it
again) is decoded again and replaces its old arrays, the rest is kept. The copy holds at most
`settings.TRIP_STORED_VALUES_MB` in all (a field of 10M trips' distances: 40 MB), the least recently read network's
part leaving first; a part that cannot be kept within it is read from the rows, as before.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings

from apps.core.dbtypes import binary_results

from . import heat
from .models import COUNT_BITS, SortedIntegersField, TripDay, unpack_counts


@dataclass
class _Part:
    arrays: dict[int, np.ndarray] = field(default_factory=dict)  # day ordinal -> decoded array
    rows: dict[int, tuple[int, object]] = field(default_factory=dict)  # day ordinal -> (row id, computed_at)
    # Values computed from some of the days (a month's summed heatmap cells): key -> (those days' rows, arrays)
    derived: dict = field(default_factory=dict)
    nbytes: int = 0


class StoredDays:
    def __init__(self):
        self._parts: OrderedDict[tuple[int, str], _Part] = OrderedDict()
        self._lock = threading.Lock()  # a threaded server's requests share the copy

    def arrays(self, days, name: str, columns: tuple[str, ...], decode: Callable[..., np.ndarray]) \
            -> list[np.ndarray] | None:
        """The decoded arrays of the stored `days` ((network id, local date, row id, computed_at)), one per day in
        their order, the part `name` being `decode(*encoded columns)` of a row. None when a network's part cannot be
        kept here: the caller reads the rows."""
        if not enabled():
            return None
        wanted: dict[int, dict[int, tuple[int, object]]] = {}
        for network_id, day, row_id, computed_at in days:
            wanted.setdefault(network_id, {})[day.toordinal()] = (row_id, computed_at)
        with self._lock:
            stale = {(network_id, ordinal): row for network_id, rows in wanted.items()
                     for ordinal, row in rows.items() if self._row(network_id, name, ordinal) != row}
            decoded = _decoded(columns, decode, {row[0] for row in stale.values()})  # one read for every network
            if decoded is None:
                return None
            for (network_id, ordinal), row in stale.items():
                self._put(network_id, name, ordinal, row, decoded[row[0]])
            for network_id in wanted:
                self._parts.move_to_end((network_id, name))  # the most recently read: the last to leave
            found = [self._parts[(network_id, name)].arrays[day.toordinal()] for network_id, day, *_ in days]
            self._keep_within_budget()
            # A part too large for the budget has left already: the caller reads the rows (and keeps nothing).
            return found if all((network_id, name) in self._parts for network_id in wanted) else None

    def derived(self, network_id: int, name: str, key, rows: tuple, compute: Callable[[], tuple[np.ndarray, ...]]) \
            -> tuple[np.ndarray, ...]:
        """`compute()` of some of the part's days, kept while `rows` (those days' row ids and computation times) are
        the same: a day stored anew, or a request over other days, computes it again."""
        with self._lock:
            part = self._parts.get((network_id, name))
            kept = part.derived.get(key) if part is not None else None
            if kept is not None and kept[0] == rows:
                return kept[1]
        value = compute()
        with self._lock:
            part = self._parts.get((network_id, name))
            if part is not None:
                old = part.derived.get(key)
                part.nbytes += sum(a.nbytes for a in value) - (sum(a.nbytes for a in old[1]) if old else 0)
                part.derived[key] = (rows, value)
                self._keep_within_budget()
        return value

    def _row(self, network_id: int, name: str, ordinal: int):
        part = self._parts.get((network_id, name))
        return part.rows.get(ordinal) if part is not None else None

    def _put(self, network_id: int, name: str, ordinal: int, row, array: np.ndarray) -> None:
        part = self._parts.setdefault((network_id, name), _Part())
        old = part.arrays.get(ordinal)
        part.nbytes += array.nbytes - (old.nbytes if old is not None else 0)
        part.arrays[ordinal], part.rows[ordinal] = array, row

    def _keep_within_budget(self) -> None:
        budget = settings.TRIP_STORED_VALUES_MB * 1024 * 1024
        while self._parts and self.nbytes() > budget:
            self._parts.popitem(last=False)

    def nbytes(self) -> int:
        return sum(part.nbytes for part in self._parts.values())

    def clear(self) -> None:
        with self._lock:
            self._parts.clear()


def _decoded(columns: tuple[str, ...], decode, row_ids: set[int]) -> dict[int, np.ndarray] | None:
    if not row_ids:
        return {}
    rows = TripDay.objects.filter(id__in=list(row_ids)).values_list(
        "id", *(SortedIntegersField.raw(column) for column in columns))
    with binary_results(rows.db):  # megabytes of bytea, hex-escaped in text
        rows = list(rows)
    if len(rows) < len(row_ids):
        return None  # a row dropped since the caller listed it: the caller reads the rows again
    return {row_id: decode(*encoded) for row_id, *encoded in rows}


STORED_DAYS = StoredDays()


def enabled() -> bool:
    """Whether this process keeps a decoded copy (`TRIP_STORED_VALUES_MB` above 0)."""
    return bool(settings.TRIP_STORED_VALUES_MB)


def _narrowed(values: np.ndarray) -> np.ndarray:
    """Sorted values in 32 bits where they fit (every real distance and duration: meters and seconds), half the
    memory."""
    if values.size and np.iinfo(np.int32).min <= values[0] and values[-1] <= np.iinfo(np.int32).max:
        return values.astype(np.int32)
    return values


def _all_values(finished, others) -> np.ndarray:
    """A day's distances (or durations) of its finished and other trips together, sorted."""
    values = np.concatenate([SortedIntegersField.decode(finished), SortedIntegersField.decode(others)])
    values.sort(kind="stable")  # two sorted runs: merged (timsort), where quicksort sorts them again (3x slower)
    return _narrowed(values)


def _sorted_values(encoded) -> np.ndarray:
    return _narrowed(SortedIntegersField.decode(encoded))


def finished_values(days, part: str) -> list[np.ndarray] | None:
    """The stored `days`' sorted `part` (`distances` or `durations` of their finished trips: what the statistics
    read), an array each in the order of `days`; None when they are not kept here."""
    return STORED_DAYS.arrays(days, f"finished_{part}", (part,), _sorted_values)


def day_sets(days, part: str) -> list[np.ndarray] | None:
    """The stored `days`' `part` (`riders` or `vehicles`: each day's distinct ids, sorted), an array each in the
    order of `days`; None when they are not kept here."""
    return STORED_DAYS.arrays(days, part, (part,), _sorted_values)


def count_in_range(days, field_name: str, low: int | None, high: int | None) -> dict[int, int] | None:
    """How many distances (or durations: `field_name`) of the stored `days` lie in [low, high], per network; None
    when they are not kept here (the caller counts from the rows)."""
    arrays = STORED_DAYS.arrays(days, f"{field_name}s", (f"{field_name}s", f"other_{field_name}s"), _all_values)
    if arrays is None:
        return None
    totals = dict.fromkeys((network_id for network_id, *_ in days), 0)
    for (network_id, *_), values in zip(days, arrays):
        first = 0 if low is None else int(np.searchsorted(values, low, side="left"))
        totals[network_id] += max((values.size if high is None else int(np.searchsorted(values, high, side="right")))
                                  - first, 0)
    return totals


def month_cells(days, part: str, low: int, high: int) -> list[tuple[int, np.ndarray, np.ndarray]] | None:
    """The stored `days`' heatmap cells (`part`) with their trips, summed per network and month of the days' local
    dates (a month of a city's days at zoom 0: ~73,000 day-cells, ~2,500 distinct), the cells between the packed
    values `low` and `high`: (month number, cells, trips) each. None when they are not kept here."""
    arrays = STORED_DAYS.arrays(days, part, (part,), SortedIntegersField.decode)
    if arrays is None:
        return None
    months: dict[tuple[int, int], tuple[list, list]] = {}
    for (network_id, day, row_id, computed_at), day_cells in zip(days, arrays):
        rows, cells = months.setdefault((network_id, heat.month_number(day)), ([], []))
        rows.append((day, row_id, computed_at))
        cells.append(day_cells)
    found = []
    first, last = low >> COUNT_BITS, high >> COUNT_BITS
    for (network_id, month), (rows, cells) in months.items():
        keys, trips = STORED_DAYS.derived(network_id, part, ("month", month), tuple(rows),
                                          lambda cells=cells: _summed(cells))
        start, stop = np.searchsorted(keys, first, side="left"), np.searchsorted(keys, last, side="right")
        found.append((month, keys[start:stop], trips[start:stop]))
    return found


def _summed(days: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Packed (cell, count) entries of several days as their distinct cells, sorted, and each cell's total."""
    keys, counts = unpack_counts(np.concatenate(days)) if days else (np.empty(0, np.int64),) * 2
    distinct, where = np.unique(keys, return_inverse=True)
    return distinct, np.bincount(where, weights=counts, minlength=distinct.size).astype(np.int64)
