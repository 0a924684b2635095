"""The heatmap's grid cells: where trips start, snapped to a zoom's grid, counted per day in the stored day
summaries (TripDay.heat_0/1/2) and per month on request (apps.stats.overview.heatmap).

A cell is the pair of grid numbers (ROUND(latitude * n), ROUND(longitude * n)) for the zoom's n cells per degree,
computed by PostgreSQL (numeric, half away from zero) both when a day is stored and when the trips the stored days
do not cover are read, so both snap alike. A cell is packed in one int64 as lat << 22 | lng (each shifted to be
non-negative on the finest grid), and a day's cells with their counts by models.pack_counts: they sort by cell
and shrink to a few bytes each in a SortedIntegersField. Only positions on the globe (|lat| <= 90,
|lng| <= 180) have a cell."""
from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import numpy as np
from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Cast, Round

from .models import COUNT_BITS, unpack_counts

STEPS = {0: Decimal("0.001"), 1: Decimal("0.0005"), 2: Decimal("0.0001")}  # zoom -> grid step in degrees (the seed)
PER_DEGREE = {zoom: int(1 / step) for zoom, step in STEPS.items()}
PARTS = {zoom: f"heat_{zoom}" for zoom in STEPS}  # the TripDay field of each zoom

_FINEST = max(PER_DEGREE.values())
_LAT_OFFSET, _LNG_OFFSET = 90 * _FINEST, 180 * _FINEST
_LNG_BITS = 22  # 2 * 90 * 10,000 < 2**21, 2 * 180 * 10,000 < 2**22
_LNG_MASK = (1 << _LNG_BITS) - 1

PLACED = Q(start_latitude__gte=-90, start_latitude__lte=90, start_longitude__gte=-180, start_longitude__lte=180)


def _grid(field: str, zoom: int):
    return Cast(Round(F(field) * Value(PER_DEGREE[zoom])), BigIntegerField())


def cell_of_start(zoom: int):
    """The packed cell of a trip's start (SQL); only meaningful for PLACED trips."""
    lat = _grid("start_latitude", zoom) + Value(_LAT_OFFSET)
    lng = _grid("start_longitude", zoom) + Value(_LNG_OFFSET)
    return ExpressionWrapper(lat.bitleftshift(_LNG_BITS).bitor(lng), output_field=BigIntegerField())


def month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


class CellBox:
    """The grid cells whose point lies in the area centred on (lat, lng), lat_deg high and lng_deg wide."""

    def __init__(self, zoom: int, lat, lng, lat_deg, lng_deg):
        n = PER_DEGREE[zoom]
        lat, lng, half_lat, half_lng = (Decimal(str(value)) for value in (lat, lng, abs(lat_deg) / 2, abs(lng_deg) / 2))
        self.zoom, self.per_degree = zoom, n
        self.lat = (max(math.ceil((lat - half_lat) * n), -90 * n), min(math.floor((lat + half_lat) * n), 90 * n))
        self.lng = (max(math.ceil((lng - half_lng) * n), -180 * n), min(math.floor((lng + half_lng) * n), 180 * n))

    def packed_range(self) -> tuple[int, int]:
        """The smallest and largest packed (cell, count) a day may hold for the box's cells: the cells of its
        latitudes, every longitude between (what a stored day's skip index decodes; MonthTally cuts the rest)."""
        (lat_low, lat_high), (lng_low, lng_high) = self.lat, self.lng
        low = (lat_low + _LAT_OFFSET) << _LNG_BITS | (lng_low + _LNG_OFFSET)
        high = (lat_high + _LAT_OFFSET) << _LNG_BITS | (lng_high + _LNG_OFFSET)
        return low << COUNT_BITS, (high << COUNT_BITS) | ((1 << COUNT_BITS) - 1)

    def trips_near(self) -> Q:
        """A superset of the trips starting in the box's cells, on the raw positions (a cell spans half a step on
        either side of its point), narrowing what the trips not covered by stored days are read for."""
        half = Decimal(1) / (2 * self.per_degree)
        (lat_low, lat_high), (lng_low, lng_high) = self.lat, self.lng
        return PLACED & Q(start_latitude__gte=Decimal(lat_low) / self.per_degree - half,
                          start_latitude__lte=Decimal(lat_high) / self.per_degree + half,
                          start_longitude__gte=Decimal(lng_low) / self.per_degree - half,
                          start_longitude__lte=Decimal(lng_high) / self.per_degree + half)


class MonthTally:
    """Trip starts per (month, cell) of a box, added from stored days and from rows read off the trips.

    Each start is kept as its month and its place in the box's grid (row-major from the box's south-west corner), so
    that the points are summed by np.bincount over a dense (month, row, column) index, already in the answer's order,
    instead of sorting every day's cells (a year of three cities' cells at zoom 0: ~3M values, 40 ms of sort); a box
    too large for a dense index (DENSE_LIMIT bins), or whose starts are few beside its bins (stored days already summed
    per month: a year of a city at zoom 0 is ~100,000 of them over 4.7M bins), is summed with np.unique on the same
    key: sorting them costs less than allocating, filling and scanning the bins."""

    DENSE_LIMIT = 1 << 24  # 16M bins: 128 MB of float64 at most
    DENSE_BINS_PER_START = 16

    def __init__(self, box: CellBox):
        self.box = box
        (lat_low, lat_high), (lng_low, lng_high) = box.lat, box.lng
        self.rows, self.columns = lat_high - lat_low + 1, lng_high - lng_low + 1
        self.lat_base, self.lng_base = lat_low + _LAT_OFFSET, lng_low + _LNG_OFFSET
        self.months, self.places, self.counts = [], [], []

    def add(self, months: np.ndarray, cells: np.ndarray, counts: np.ndarray) -> None:
        row = (cells >> _LNG_BITS) - self.lat_base
        column = (cells & _LNG_MASK) - self.lng_base
        # Inside the box: 0 <= row < rows and 0 <= column < columns, one comparison each as unsigned numbers.
        inside = (row.view(np.uint64) < self.rows) & (column.view(np.uint64) < self.columns)
        self.months.append(months[inside])
        self.places.append(row[inside] * self.columns + column[inside])
        self.counts.append(counts[inside])

    def add_days(self, days: list[tuple[date, np.ndarray]]) -> None:
        """Stored days: (day, packed cells of the box's zoom)."""
        if days:
            packed = np.concatenate([cells for _, cells in days])
            months = np.repeat(np.array([month_number(day) for day, _ in days], dtype=np.int64),
                               [cells.size for _, cells in days])
            self.add(months, *unpack_counts(packed))

    def add_months(self, months: list[tuple[int, np.ndarray, np.ndarray]]) -> None:
        """Stored days summed per month: (month number, cells, trips)."""
        if months:
            self.add(np.repeat(np.array([month for month, _, _ in months], dtype=np.int64),
                               [cells.size for _, cells, _ in months]),
                     np.concatenate([cells for _, cells, _ in months]),
                     np.concatenate([trips for _, _, trips in months]))

    def add_rows(self, rows) -> None:
        """Rows of (month's first day, cell, trips)."""
        rows = list(rows)
        if rows:
            months, cells, counts = zip(*rows)
            self.add(np.array([month_number(month) for month in months], dtype=np.int64),
                     np.array(cells, dtype=np.int64), np.array(counts, dtype=np.int64))

    def points(self) -> list[dict]:
        """[{latitude, longitude, date (first of the month, ISO text), count}] ordered by month, latitude, longitude."""
        months = np.concatenate(self.months) if self.months else np.array([], dtype=np.int64)
        if not months.size:
            return []
        first_month = int(months.min())
        span = self.rows * self.columns
        keys = (months - first_month) * span + np.concatenate(self.places)
        weights = np.concatenate(self.counts)
        bins = (int(months.max()) - first_month + 1) * span
        if bins <= min(self.DENSE_LIMIT, self.DENSE_BINS_PER_START * keys.size):
            totals = np.bincount(keys, weights=weights, minlength=bins)
            keys = np.flatnonzero(totals)
            counts = totals[keys].astype(np.int64)
        else:
            keys, where = np.unique(keys, return_inverse=True)
            counts = np.bincount(where, weights=weights).astype(np.int64)
        month, place = keys // span + first_month, keys % span
        n = self.box.per_degree
        # An int divided by the cells per degree is the double nearest the grid point: it prints as 45.7605.
        latitudes = ((place // self.columns + self.lat_base - _LAT_OFFSET) / n).tolist()
        longitudes = ((place % self.columns + self.lng_base - _LNG_OFFSET) / n).tolist()
        # Dates as text: rendering 20,000 date objects through DRF's encoder took longer than building the rows.
        firsts = {m: f"{m // 12:04d}-{m % 12 + 1:02d}-01" for m in np.unique(month).tolist()}
        return [{"latitude": lat, "longitude": lng, "date": firsts[m], "count": count}
                for lat, lng, m, count in zip(latitudes, longitudes, month.tolist(), counts.tolist())]
