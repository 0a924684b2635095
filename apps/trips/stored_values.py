"""A process's decoded copy of the stored days' distances or durations, for listTrips' exact totals of a range.

A total over a distance or duration range counts each stored day's sorted values (TripDay `distances` and
`other_distances`, or the durations). Read from the rows, a request over three networks' 1,577 days fetched every
day's encoded values (~30 ms) and searched each day's skip index (~35 ms). Here each network's days are decoded once
per process into one sorted int64 array of `day << 32 | value` (finished and unfinished trips together): a range's
count over any set of days is then two binary searches per day, in one numpy call.

A day is known by its row's id and computation time. A request names the days it counts (the rows it read, without
their values); a day stored anew (a later refresh, or a trip's write that dropped it and a refresh that stored it
again) is decoded again and replaces its old values, the rest is kept. A copy holds at most
`settings.TRIP_STORED_VALUES_MB` in all (10M trips: 80 MB per field), the least recently used network's values
leaving first; values outside [0, 2^32) (none a trip can have) leave the network to the rows.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings

from apps.core.dbtypes import binary_results

from .models import SortedIntegersField, TripDay

_SHIFT = 32
_LARGEST = (1 << _SHIFT) - 1


@dataclass
class _NetworkValues:
    keyed: np.ndarray  # day ordinal << 32 | value, sorted
    spans: dict[int, tuple[int, int]]  # day ordinal -> (start, stop) in keyed
    rows: dict[int, tuple[int, object]] = field(default_factory=dict)  # day ordinal -> (row id, computed_at)


class StoredValues:
    def __init__(self):
        self._networks: OrderedDict[tuple[int, str], _NetworkValues] = OrderedDict()
        self._lock = threading.Lock()  # a threaded server's requests share the copy

    def count(self, days, field_name: str, low: int | None, high: int | None) -> dict[int, int] | None:
        """How many of the values of `field_name` lie in [low, high] over `days`, per network: `days` are
        (network id, local date, row id, computed_at) of stored rows. None when a network's values cannot be
        kept here (too large, or out of range): the caller counts from the rows."""
        low = 0 if low is None else max(low, 0)
        high = _LARGEST if high is None else min(high, _LARGEST)
        by_network: dict[int, dict[int, tuple[int, object]]] = {}
        for network_id, day, row_id, computed_at in days:
            by_network.setdefault(network_id, {})[day.toordinal()] = (row_id, computed_at)
        with self._lock:
            stale = {network_id: [ordinal for ordinal, row in wanted.items()
                                  if self._row(network_id, field_name, ordinal) != row]
                     for network_id, wanted in by_network.items()}
            rows = {by_network[network_id][ordinal][0]: ordinal
                    for network_id, ordinals in stale.items() for ordinal in ordinals}
            decoded = _decoded(field_name, rows)  # every network's new days in one read
            if decoded is None:
                return None
            totals = {}
            for network_id, wanted in by_network.items():
                values = self._values(network_id, field_name, wanted, {
                    ordinal: decoded[wanted[ordinal][0]] for ordinal in stale[network_id]})
                if values is None:
                    return None
                if low > high:
                    totals[network_id] = 0
                    continue
                ordinals = np.fromiter(wanted, dtype=np.int64, count=len(wanted)) << _SHIFT
                found = (np.searchsorted(values.keyed, ordinals + high, side="right")
                         - np.searchsorted(values.keyed, ordinals + low, side="left"))
                totals[network_id] = int(found.sum())
        return totals

    def _row(self, network_id: int, field_name: str, ordinal: int):
        known = self._networks.get((network_id, field_name))
        return known.rows.get(ordinal) if known is not None else None

    def _values(self, network_id: int, field_name: str, wanted: dict, decoded: dict) -> _NetworkValues | None:
        """The network's copy, with the days `decoded` (ordinal -> keyed values) put in place of their old ones."""
        key = (network_id, field_name)
        known = self._networks.get(key)
        if known is not None and not decoded:
            self._networks.move_to_end(key)
            return known
        blocks = {ordinal: known.keyed[start:stop] for ordinal, (start, stop) in known.spans.items()} if known else {}
        rows = dict(known.rows) if known else {}
        for ordinal, keyed in decoded.items():
            blocks[ordinal] = keyed
            rows[ordinal] = wanted[ordinal]
        ordered = sorted(blocks)
        keyed = np.concatenate([blocks[ordinal] for ordinal in ordered]) if ordered else np.empty(0, np.int64)
        spans, start = {}, 0
        for ordinal in ordered:
            spans[ordinal] = (start, start + blocks[ordinal].size)
            start += blocks[ordinal].size
        values = _NetworkValues(keyed, spans, rows)
        self._networks[key] = values
        self._networks.move_to_end(key)
        budget = settings.TRIP_STORED_VALUES_MB * 1024 * 1024
        while sum(kept.keyed.nbytes for kept in self._networks.values()) > budget:
            evicted, _ = self._networks.popitem(last=False)
            if evicted == key:
                return None
        return values

    def clear(self) -> None:
        with self._lock:
            self._networks.clear()


def _decoded(field_name: str, ordinals_by_row: dict[int, int]) -> dict[int, np.ndarray] | None:
    """Per row id, the row's values of `field_name`, finished and unfinished trips' together, sorted and keyed by its
    day (`ordinals_by_row`)."""
    if not ordinals_by_row:
        return {}
    rows = TripDay.objects.filter(id__in=list(ordinals_by_row)).values_list(
        "id", SortedIntegersField.raw(f"{field_name}s"), SortedIntegersField.raw(f"other_{field_name}s"))
    with binary_results(rows.db):  # megabytes of bytea, hex-escaped in text
        rows = list(rows)
    if len(rows) < len(ordinals_by_row):
        return None  # a row dropped since the caller read it: the caller reads the rows again
    decoded = {}
    for row_id, finished, others in rows:
        values = np.concatenate([SortedIntegersField.decode(finished), SortedIntegersField.decode(others)])
        if values.size and (values.min() < 0 or values.max() > _LARGEST):
            return None
        values.sort()
        decoded[row_id] = values + (ordinals_by_row[row_id] << _SHIFT)
    return decoded


STORED_VALUES = StoredValues()
