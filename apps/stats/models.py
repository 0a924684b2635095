"""Day summaries of the finished trips, so that a year of statistics reads 365 rows instead of a million trips.

A row sums up the trips a network started on one local day of its time zone, once the day is settled (see
`apps.stats.rollups`). Everything the statistics need stays exact: distinct riders and vehicles are kept as
sorted id sets, distances and durations as sorted values (medians), counts per local hour, per histogram bucket
and payment mode, and per station.
"""
import zlib

import numpy as np
from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import ScopedModel


class SortedIntegersField(models.BinaryField):
    """Sorted integers (a numpy int64 array) stored as zlib-compressed gaps: a day's rider ids or trip distances
    shrink to a byte or two each, so a year of rows reads in milliseconds, where a PostgreSQL integer[] would be
    four to eight times larger and parsed value by value into Python ints."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", b"")
        super().__init__(*args, **kwargs)

    @staticmethod
    def decode(value) -> np.ndarray:
        if not value:
            return np.array([], dtype=np.int64)
        return np.cumsum(np.frombuffer(zlib.decompress(bytes(value)), dtype="<i8"))

    @staticmethod
    def encode(values) -> bytes:
        values = np.asarray(values, dtype=np.int64)
        return zlib.compress(np.diff(values, prepend=0).astype("<i8").tobytes(), 1) if values.size else b""

    def from_db_value(self, value, expression, connection):
        return None if value is None else self.decode(value)

    def to_python(self, value):
        return self.decode(value) if isinstance(value, (bytes, bytearray, memoryview)) else value

    def get_prep_value(self, value):
        return super().get_prep_value(self.encode(value) if isinstance(value, (np.ndarray, list)) else value)


class TripDay(ScopedModel):
    scope_network_path = "network"

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="A day of `timezone`.")
    timezone = models.CharField(max_length=64, help_text="The network's time zone when the row was computed.")
    trip_count = models.PositiveIntegerField(default=0)
    riders = SortedIntegersField(help_text="Distinct rider ids.")
    vehicles = SortedIntegersField(help_text="Distinct vehicle ids.")
    distances = SortedIntegersField(help_text="One per trip, meters.")
    durations = SortedIntegersField(help_text="One per trip, seconds.")
    hours = ArrayField(models.PositiveIntegerField(), size=24, default=list, help_text="Trips per local hour.")
    distance_histogram = models.JSONField(default=dict, help_text="Payment mode -> trips per distance bucket.")
    duration_histogram = models.JSONField(default=dict, help_text="Payment mode -> trips per duration bucket.")
    stations = models.JSONField(default=dict, help_text='{"started": {cluster id: trips}, "ended": {...}}')
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "day"], name="stats_tripday_one_per_network_day")]
        ordering = ["network", "day"]

    def __str__(self):
        return f"{self.network_id} {self.day}: {self.trip_count} trips"
