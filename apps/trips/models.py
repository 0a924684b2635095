"""Trips: one rental of a vehicle by a rider, from its start to its end (or cancellation)."""
import struct
import uuid
import zlib
from bisect import bisect_left, bisect_right
from typing import NamedTuple

import numpy as np
from django.conf import settings
# zlib-ng inflates the same streams about twice as fast as the zlib Python is built with (docs/performance.md);
# stored sets are still written by the standard zlib, whose level 1 compresses them better.
from zlib_ng import zlib_ng as inflate
from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import RestrictedQuerySet, ScopedModel, TimeStampedModel, non_negative


class TripState(models.TextChoices):
    FINISHED = "finished"
    RUNNING = "running"
    ON_HOLD = "on-hold"
    CANCELLED = "cancelled"


class PaymentStatus(models.TextChoices):
    PENDING = "pending"
    PAID = "paid"
    NOT_TO_PAY = "not-to-pay"
    FAILED = "failed"


class PaymentMode(models.TextChoices):
    CARD = "card"
    WALLET = "wallet"
    PASS = "pass"
    ORGANIZATION = "organization"
    FREE = "free"


# Filters that match a small share of a network's trips and have an index per sort key that has no order of its own.
PARTIAL_SORT_INDEXES = {"demo": models.Q(demo=True), "cancelled": models.Q(state=TripState.CANCELLED)}


class Trip(TimeStampedModel):
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of their own for network, vehicle and start cluster: the composite indexes below lead with them, and
    # a lone (network) index tempted PostgreSQL into ANDing a million-entry bitmap with a selective one.
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="trips", db_index=False)
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trips")
    vehicle = models.ForeignKey("fleet.Vehicle", on_delete=models.PROTECT, related_name="trips", db_index=False)
    start_cluster = models.ForeignKey("fleet.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      db_index=False)
    end_cluster = models.ForeignKey("fleet.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    state = models.CharField(max_length=10, choices=TripState.choices, default=TripState.RUNNING)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    distance = models.PositiveIntegerField(default=0, help_text="Meters.")
    duration = models.PositiveIntegerField(default=0, help_text="Seconds.")
    amount = models.DecimalField(max_digits=12, decimal_places=4, default=0,
                                 help_text="The trip's cost under the network's pricing (network currency).")
    discount_amount = models.DecimalField(max_digits=12, decimal_places=4, default=0,
                                          help_text="Taken off the cost by the promotion and the coupon.")
    cost_computed_at = models.DateTimeField(null=True, blank=True)
    running_duration = models.PositiveIntegerField(default=0, help_text="Seconds ridden (pauses excluded).")
    start_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    start_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    end_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    end_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    billing_stop_at = models.DateTimeField(null=True, blank=True, help_text="Billing ends here, not at the trip's end.")
    promotion = models.ForeignKey("discounts.Discount", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text="A promotion applied to the trip (e.g. a % on trips).")
    payment_status = models.CharField(max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    payment_mode = models.CharField(max_length=12, choices=PaymentMode.choices, default=PaymentMode.CARD,
                                    help_text="How the trip is paid (card, wallet credits, a pass, the organization).")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="The rider's organization that pays part of it.")
    organization_amount = models.DecimalField(max_digits=12, decimal_places=4, default=0,
                                              help_text="What the organization pays of the cost (after discounts).")
    # What the rider's subscription and pass covered of the trip's time (apps.trips.coverage): its first
    # covered_seconds are free. Decided once, when it ends; a recomputed cost reads them again.
    covered_seconds = models.PositiveIntegerField(default=0)
    covered_by_subscription = models.ForeignKey("commerce.RiderSubscription", null=True, blank=True,
                                                on_delete=models.PROTECT, related_name="+", db_index=False)
    covered_by_pass = models.ForeignKey("commerce.UserPass", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="covered_trips", db_index=False)
    demo = models.BooleanField(default=False)
    start_key = models.CharField(max_length=64, null=True, blank=True, editable=False,
                                 help_text="The start request's Idempotency-Key claim: a double tap finds this trip.")

    # A trip is a network-level object: a grant limited to some clusters still sees all the network's trips.
    scope_network_path = "network"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["network", "-id"]),
                   # One per sort key of listTrips, ending with the id: `network = ? ORDER BY key, id` (the keyset
                   # order) is read straight off the index, whichever network owns the newest rows, and the
                   # statistics' and MDS's time ranges use the same ones.
                   models.Index(fields=["network", "started_at", "id"], name="trip_network_started_idx"),
                   # ended_at is NULL while a trip runs, and NULLs come last both ways: one index per direction.
                   models.Index(models.F("network"), models.F("ended_at").desc(nulls_last=True),
                                models.F("id").desc(), name="trip_network_ended_idx"),
                   models.Index(fields=["network", "ended_at", "id"], name="trip_network_ended_asc_idx"),
                   # Each carries the other (INCLUDE): long trips are far ones, so a duration range sorted by
                   # distance (or the reverse) finds its trips on one index, then sorts them, reading no table row.
                   models.Index(fields=["network", "duration", "id"], include=["distance"],
                                name="trip_duration_distance_idx"),
                   models.Index(fields=["network", "distance", "id"], include=["duration"],
                                name="trip_distance_duration_idx"),
                   # A short duration range by distance: each second's farthest trips, one descent each
                   # (keyset_page's `spread`: selectors.spread_of).
                   models.Index(fields=["network", "duration", "distance", "id"], name="trip_duration_then_dist_idx"),
                   models.Index(fields=["vehicle", "started_at"]),  # a vehicle's history (timeline, statistics)
                   models.Index(fields=["start_cluster", "end_cluster", "duration"]),  # balancing estimates
                   # listTrips' cluster filters (issue 38): a cluster's trips counted and, by id, paged off the index
                   # alone (the network read from it, not from each trip's row: over three networks a cluster
                   # name's 24,000 trips were read from the table twice, for the count and the page).
                   models.Index(fields=["start_cluster", "network", "id"], name="trip_start_cluster_idx"),
                   models.Index(fields=["end_cluster", "network", "id"], name="trip_end_cluster_idx"),
                   # The few trips under way, for the overview and "is this vehicle riding?".
                   models.Index(fields=["network", "vehicle"], condition=models.Q(state__in=["running", "on-hold"]),
                                name="trip_under_way_idx"),
                   # Demo trips are few: listTrips' demo filter finds them here, then sorts them.
                   models.Index(fields=["network", "id"], condition=models.Q(demo=True), name="trip_demo_idx"),
                   # Demo and cancelled trips (1-5 % of a network's, tens of thousands at 7M) sorted by duration or
                   # distance: read in order off their own small index, instead of walking the network's whole
                   # duration or distance index for the few that match, or sorting all of them.
                   *[models.Index(fields=["network", key, "id"], condition=condition, name=f"trip_{kind}_{key}_idx")
                     for kind, condition in PARTIAL_SORT_INDEXES.items() for key in ("duration", "distance")]]
        constraints = [*non_negative("trip", "amount", "discount_amount", "organization_amount"),
                       models.CheckConstraint(condition=models.Q(discount_amount__lte=models.F("amount")),
                                              name="trip_discount_within_amount"),
                       models.CheckConstraint(condition=models.Q(organization_amount__lte=models.F("amount")
                                                                 - models.F("discount_amount")),
                                              name="trip_organization_share_within_charge"),
                       models.CheckConstraint(condition=models.Q(ended_at__isnull=True)
                                              | models.Q(ended_at__gte=models.F("started_at")),
                                              name="trip_ends_after_start"),
                       # A vehicle rides one trip at a time, whatever races the lifecycle's row locks would miss.
                       models.UniqueConstraint(fields=["vehicle"], condition=models.Q(state__in=["running", "on-hold"]),
                                               name="one_trip_under_way_per_vehicle"),
                       models.UniqueConstraint(fields=["start_key"], condition=models.Q(start_key__isnull=False),
                                               name="one_trip_per_start_key")]

    def __str__(self):
        return f"Trip {self.pk}"

    @property
    def amount_due(self):
        return self.amount - self.discount_amount


class TripEvent(models.Model):
    class Type(models.IntegerChoices):
        START = 1
        END = 2
        PAUSE = 3
        RESUME = 4
        LOCK = 5
        UNLOCK = 6
        POSITION = 7

    class Source(models.IntegerChoices):
        UNKNOWN = 0
        MOBILE_APP = 1
        VEHICLE = 2
        DASHBOARD = 3
        SYSTEM = 4

    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="events")
    type = models.PositiveSmallIntegerField(choices=Type.choices)
    source = models.PositiveSmallIntegerField(choices=Source.choices, default=Source.UNKNOWN)
    timestamp = models.DateTimeField()
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    additional_data = models.JSONField(null=True, blank=True)
    originator_key = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["timestamp", "id"]
        indexes = [models.Index(fields=["trip", "timestamp"])]


class TripDetail(models.Model):
    """A typed fact about a trip named by its originator (e.g. "co2_saved"), with localized labels."""

    class ValueType(models.IntegerChoices):
        STRING = 0
        INTEGER = 1
        DECIMAL = 2
        BOOLEAN = 3
        DATETIME = 4

    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="details")
    originator_key = models.CharField(max_length=100)
    labels = models.JSONField(null=True, blank=True, help_text='Localized names, e.g. {"en": "CO2 saved"}.')
    value_labels = models.JSONField(null=True, blank=True)
    value = models.CharField(max_length=255)
    value_type = models.PositiveSmallIntegerField(choices=ValueType.choices, default=ValueType.STRING)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class AdditionalCostType(models.Model):
    """A kind of extra charge (speed fine, cleaning...), grouped in macro types (`CostType` in the mobile API)."""

    class MacroType(models.IntegerChoices):
        OTHER = 0
        FINE = 1
        CLEANING = 2
        DAMAGE = 3
        RELOCATION = 4
        LOST_EQUIPMENT = 5

    key = models.CharField(max_length=50, unique=True)
    cost_type = models.PositiveSmallIntegerField(choices=MacroType.choices, default=MacroType.OTHER)
    labels = models.JSONField(default=dict, help_text='Localized names, e.g. {"en": "Speed fine"}.')

    def __str__(self):
        return self.key


class TripAdditionalCost(TimeStampedModel):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="additional_costs")
    type = models.ForeignKey(AdditionalCostType, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=4)
    notes = models.CharField(max_length=500, blank=True, null=True)

    scope_network_path = "trip__network"

    class Meta:
        ordering = ["created_at", "id"]

class ReservationQuerySet(RestrictedQuerySet):
    def live(self, now):
        """Reservations that still hold their vehicle at `now`: neither ended nor expired."""
        return self.filter(ended_at__isnull=True, expires_at__gt=now)


class Reservation(TimeStampedModel):
    """A rider holds a vehicle for the network's reservation time (NetworkSettings.reservation_duration): no one else
    may start it until the reservation ends (the rider's trip started, or it was cancelled) or expires."""

    class Outcome(models.TextChoices):
        STARTED = "started"
        CANCELLED = "cancelled"

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="+")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reservations")
    vehicle = models.ForeignKey("fleet.Vehicle", on_delete=models.PROTECT, related_name="reservations")
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, null=True, blank=True)
    trip = models.OneToOneField(Trip, null=True, blank=True, on_delete=models.SET_NULL, related_name="reservation")

    objects = ReservationQuerySet.as_manager()

    scope_network_path = "network"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["vehicle", "expires_at"]), models.Index(fields=["rider", "expires_at"])]

    def __str__(self):
        return f"Reservation {self.pk} of vehicle {self.vehicle_id}"

    def status(self, now) -> str:
        if self.outcome:
            return self.outcome
        return "active" if self.expires_at > now else "expired"


# --- Day summaries ---------------------------------------------------------------------------------------------
# The trips a network started on one local day of its time zone, summed up once the day is settled
# (apps.trips.rollups), so that a year of statistics reads 365 rows instead of a million trips. Everything stays
# exact: distinct riders and vehicles as id sets, distances and durations as sorted values (medians), counts per
# local hour, per histogram bucket and payment mode, and per station.


_INDEXED_HEADER = struct.Struct("<IqI")  # SortedIntegersField's indexed layout: size, last value, block count


class _Blocks(NamedTuple):
    """The blocks of some sorted sets (SortedIntegersField.ranked): per block, its first value (`start`), a bound of
    its last (`end`: the next block's head, or the set's last value), how many values it holds, the set it belongs
    to (an index into `sets`) and its number in that set."""
    sets: list
    start: np.ndarray
    end: np.ndarray
    size: np.ndarray
    owner: np.ndarray
    number: np.ndarray


class SortedIntegersField(models.BinaryField):
    """Sorted integers (a numpy int64 array) stored as their first value and their zlib-compressed gaps, each gap in
    the narrowest unsigned width that holds them all (one byte for a day's sorted distances or durations): a day's
    rider ids or trip distances shrink to a byte or two each and a year of rows decodes in milliseconds, where a
    PostgreSQL integer[] would be four to eight times larger and parsed value by value into Python ints. Unsorted
    values are stored too (with signed 8-byte gaps).

    `indexed=True` (values read by range: the durations and distances a listTrips range counts, the heatmap's cells
    of a map's area) adds a skip index: the first value of every block of BLOCK values and where its gaps start in
    the compressed stream, flushed there (Z_FULL_FLUSH), so that a block decompresses on its own. `count_between`
    decodes one block per bound instead of the whole day (~12 instead of ~45 us a day of 10,000 values),
    `decode_between` the blocks of a range (docs/performance.md). The stream is still one zlib stream: `decode`
    reads both layouts alike.

    Sets decoded whole (not indexed) whose gaps zlib shrinks less than RAW_BELOW_RATIO times are stored as they are
    (a flag in the first byte): a day's rider ids compress only ~1.4x, and decompressing them cost more than moving
    the bytes saved. Indexed sets stay compressed: a range decodes a block or two of each day but fetches the whole
    of it, which costs more raw (docs/performance.md)."""

    _WIDTHS = {1: "<u1", 2: "<u2", 4: "<u4", 8: "<i8"}
    _INDEXED = 0x10  # flags in the first byte, above the width
    _RAW = 0x20
    _WIDTH_BITS = 0x0F
    RAW_BELOW_RATIO = 3
    BLOCK = 1024
    # Indexed layout: width | _INDEXED, size (u4), last value (i8), block count n (u4), n block heads (i8), n offsets
    # (u4, into the zlib stream), the zlib stream, flushed at each block. Plain layout: width, first value (i8), the
    # gaps zlib-compressed, or as they are under _RAW.
    _INDEX_START = 1 + _INDEXED_HEADER.size

    def __init__(self, *args, indexed: bool = False, **kwargs):
        self.indexed = indexed
        kwargs.setdefault("default", b"")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.indexed:
            kwargs["indexed"] = True
        return name, path, args, kwargs

    @classmethod
    def raw(cls, name: str):
        """The stored bytes of field `name`, undecoded (for count_between), as a values()/values_list() column."""
        return models.ExpressionWrapper(models.F(name), output_field=models.BinaryField())

    @classmethod
    def _layout(cls, raw: bytes):
        """(width, first value, stream, index or None); the index is (size, last, heads, offsets)."""
        if not raw[0] & cls._INDEXED:
            return raw[0] & cls._WIDTH_BITS, int.from_bytes(raw[1:9], "little", signed=True), raw[9:], None
        size, last, blocks = _INDEXED_HEADER.unpack_from(raw, 1)
        heads = np.frombuffer(raw, dtype="<i8", count=blocks, offset=cls._INDEX_START)
        offsets = np.frombuffer(raw, dtype="<u4", count=blocks, offset=cls._INDEX_START + 8 * blocks)
        stream = raw[cls._INDEX_START + 12 * blocks:]
        return raw[0] & cls._WIDTH_BITS, int(heads[0]), stream, (size, last, heads, offsets)

    @staticmethod
    def _from_gaps(first: int, gaps: np.ndarray) -> np.ndarray:
        # The first value, then the gaps widened in one copy, summed in place: a cumulative sum that casts as it goes
        # is 2.5x slower on a day's 100,000 rider ids (numpy's buffered casting loop).
        values = np.empty(gaps.size + 1, dtype=np.int64)
        values[0] = first
        values[1:] = gaps
        np.cumsum(values, out=values)
        return values

    @classmethod
    def decode(cls, value) -> np.ndarray:
        if not value:
            return np.array([], dtype=np.int64)
        raw = bytes(value)
        width, first, stream, _index = cls._layout(raw)
        return cls._from_gaps(first, np.frombuffer(stream if raw[0] & cls._RAW else inflate.decompress(stream),
                                                   dtype=cls._WIDTHS[width]))

    @classmethod
    def _block_gaps(cls, raw: bytes, stretch) -> np.ndarray:
        """The gaps of a stretch of an indexed stream (whole blocks), decompressed on their own."""
        gaps = inflate.decompressobj(-15).decompress(stretch)
        return np.frombuffer(gaps, dtype=cls._WIDTHS[raw[0] & cls._WIDTH_BITS])

    @classmethod
    def encode(cls, values, indexed: bool = False) -> bytes:
        values = np.asarray(values, dtype=np.int64)
        if not values.size:
            return b""
        gaps = np.diff(values)
        low, high = (int(gaps.min()), int(gaps.max())) if gaps.size else (0, 0)
        width = 8 if low < 0 else next(n for n in (1, 2, 4, 8) if n == 8 or high < 1 << (8 * n))
        gap_bytes = gaps.astype(cls._WIDTHS[width]).tobytes()
        if not indexed or low < 0 or values.size <= cls.BLOCK:  # unsorted, or one block: nothing to skip
            stream = zlib.compress(gap_bytes, 1)
            flags = cls._RAW if not indexed and len(stream) * cls.RAW_BELOW_RATIO > len(gap_bytes) else 0
            return (bytes([width | flags]) + int(values[0]).to_bytes(8, "little", signed=True)
                    + (gap_bytes if flags else stream))
        # Block k holds values [k*BLOCK, (k+1)*BLOCK): its head, then gaps [k*BLOCK, (k+1)*BLOCK), flushed after.
        compressor, stream, offsets = zlib.compressobj(1), [], []
        heads, step, written = values[::cls.BLOCK], cls.BLOCK * width, 0
        for start in range(0, heads.size * step, step):  # the last block may have no gap (a head alone)
            stream.append(compressor.compress(gap_bytes[start:start + step]) + compressor.flush(zlib.Z_FULL_FLUSH))
            offsets.append(written + (2 if start == 0 else 0))  # block 0's deflate data follows the zlib header
            written += len(stream[-1])
        stream.append(compressor.flush())
        return (bytes([width | cls._INDEXED]) + _INDEXED_HEADER.pack(values.size, int(values[-1]), heads.size)
                + heads.astype("<i8").tobytes() + np.array(offsets, dtype="<u4").tobytes() + b"".join(stream))

    @classmethod
    def count_between(cls, value, low: int | None, high: int | None) -> int:
        """How many of the encoded sorted values lie in [low, high] (either bound optional): on the indexed layout,
        from the block heads and the one block each bound falls in. The index is searched with bisect on a
        memoryview: on a day's ten heads numpy's call overhead would cost more than the search."""
        if not value:
            return 0
        raw = bytes(value)
        if not raw[0] & cls._INDEXED:
            first, stop = cls._span(cls.decode(raw), low, high)
            return max(stop - first, 0)
        size, last, blocks = _INDEXED_HEADER.unpack_from(raw, 1)
        start = cls._INDEX_START + 12 * blocks  # of the zlib stream
        index = memoryview(raw)[cls._INDEX_START:start]
        heads, offsets = index[:8 * blocks].cast("q"), index[8 * blocks:].cast("I")

        def below(bound, search):  # how many values are < bound (bisect_left) or <= bound (bisect_right)
            if bound > last or (bound == last and search is bisect_right):
                return size
            block = search(heads, bound) - 1
            if block < 0:
                return 0
            end = start + offsets[block + 1] if block + 1 < blocks else len(raw)
            gaps = cls._block_gaps(raw, raw[start + offsets[block]:end])
            inside = cls._from_gaps(heads[block], gaps)[:min(cls.BLOCK, size - block * cls.BLOCK)]
            return block * cls.BLOCK + int(np.searchsorted(inside, bound, "left" if search is bisect_left else "right"))

        return max((size if high is None else below(high, bisect_right))
                   - (0 if low is None else below(low, bisect_left)), 0)

    @classmethod
    def decode_between(cls, value, low: int, high: int) -> np.ndarray:
        """The encoded sorted values that lie in [low, high]: on the indexed layout, only the blocks holding them are
        read (consecutive blocks are one stretch of the stream)."""
        if not value:
            return np.array([], dtype=np.int64)
        raw = bytes(value)
        if raw[0] & cls._INDEXED:
            heads = cls._layout(raw)[3][2]
            first = max(int(np.searchsorted(heads, low, "left")) - 1, 0)  # the block before may end with `low`
            values = cls._blocks(raw, first, max(int(np.searchsorted(heads, high, "right")) - 1, 0))
        else:
            values = cls.decode(raw)
        first, stop = cls._span(values, low, high)
        return values[first:stop]

    @classmethod
    def median(cls, sets: list) -> float | None:
        """The median of the union of sorted sets (encoded values or sorted arrays): the middle value, or the mean of
        the middle two (numpy's median, PostgreSQL's percentile_cont(0.5)); None when they are all empty."""
        blocks = cls._block_table(sets)
        count = int(blocks.size.sum())
        return sum(cls._ranked(blocks, [(count - 1) // 2, count // 2])) / 2 if count else None

    @classmethod
    def ranked(cls, sets: list, ranks: list[int]) -> list[int]:
        """The values at `ranks` (0-based, each below the total size) of the union of sorted sets, each an encoded
        value or a sorted array: a median of a year of days without decoding the year.

        Each set is seen as blocks known from its skip index alone, a block's values lying between its head and the
        next block's head (the last block: the set's last value; a set without an index, or an array: one block).
        Counting the values of the blocks starting at or before a value bounds from above how many values are at or
        below it, and counting those of the blocks ending at or before it bounds that from below: together they fence
        the wanted values into [low, high]. Only the blocks reaching into that fence are decoded (Metro's year of
        durations: ~2 of a day's ~10 blocks); the blocks wholly below it are counted."""
        return cls._ranked(cls._block_table(sets), ranks)

    @classmethod
    def _block_table(cls, sets: list) -> _Blocks:
        """The sets' blocks as they are known from the indexes; sets not indexed are decoded (one block each)."""
        sets = [values if cls._is_indexed(values) else cls.decoded(values) for values in sets]
        empty = np.array([], dtype=np.int64)
        starts, ends, sizes, owners, numbers = [empty], [empty], [empty], [empty], [empty]
        for owner, values in enumerate(sets):
            if not cls._is_indexed(values):
                if values.size:
                    starts.append(values[:1]), ends.append(values[-1:]), sizes.append([values.size])
                    owners.append([owner]), numbers.append([0])
                continue
            size, last, blocks = _INDEXED_HEADER.unpack_from(values, 1)
            heads = np.frombuffer(values, dtype="<i8", count=blocks, offset=cls._INDEX_START)
            starts.append(heads), ends.append(np.append(heads[1:], last))
            block_sizes = np.full(blocks, cls.BLOCK, dtype=np.int64)
            block_sizes[-1] = size - (blocks - 1) * cls.BLOCK
            sizes.append(block_sizes), owners.append(np.full(blocks, owner)), numbers.append(np.arange(blocks))
        return _Blocks(sets, *(np.concatenate(column).astype(np.int64)
                               for column in (starts, ends, sizes, owners, numbers)))

    @classmethod
    def _ranked(cls, blocks: _Blocks, ranks: list[int]) -> list[int]:
        sets, start, end, size, owner, number = blocks
        by_start, by_end = np.argsort(start, kind="stable"), np.argsort(end, kind="stable")
        # The wanted value of rank r is at least the start of the block where the count by starts reaches r + 1, and at
        # most the end of the block where the count by ends does.
        low = start[by_start[np.searchsorted(np.cumsum(size[by_start]), min(ranks) + 1)]]
        high = end[by_end[np.searchsorted(np.cumsum(size[by_end]), max(ranks) + 1)]]
        below = int(size[end < low].sum())
        reaching = np.flatnonzero((end >= low) & (start <= high))
        pieces = []
        for chosen in np.split(reaching, np.flatnonzero(np.diff(owner[reaching])) + 1):  # per set, its blocks in order
            values = sets[owner[chosen[0]]]
            pieces.append(cls._blocks(bytes(values), int(number[chosen[0]]), int(number[chosen[-1]]))
                          if cls._is_indexed(values) else values)
        fenced = np.concatenate(pieces)
        positions = [rank - below for rank in ranks]
        return [int(value) for value in np.partition(fenced, positions)[positions]]

    @classmethod
    def _blocks(cls, raw: bytes, first: int, last: int) -> np.ndarray:
        """The values of blocks first..last of an indexed encoded set (one stretch of its stream)."""
        _width, _first, stream, (size, _last, heads, offsets) = cls._layout(raw)
        end = int(offsets[last + 1]) if last + 1 < heads.size else len(stream)
        gaps = cls._block_gaps(raw, stream[int(offsets[first]):end])
        return cls._from_gaps(int(heads[first]), gaps)[:min((last + 1) * cls.BLOCK, size) - first * cls.BLOCK]

    @classmethod
    def largest(cls, sets: list) -> int | None:
        """The largest value of sorted sets (encoded or arrays), from the indexed sets' headers."""
        lasts = [_INDEXED_HEADER.unpack_from(values, 1)[1] if cls._is_indexed(values) else int(cls.decoded(values)[-1])
                 for values in sets if len(values)]
        return max(lasts, default=None)

    @classmethod
    def _is_indexed(cls, values) -> bool:
        return not isinstance(values, np.ndarray) and len(values) > 0 and bool(values[0] & cls._INDEXED)

    @classmethod
    def decoded(cls, values) -> np.ndarray:
        """An encoded set decoded; an array as it is."""
        return values if isinstance(values, np.ndarray) else cls.decode(values)

    @staticmethod
    def _span(values: np.ndarray, low: int | None, high: int | None) -> tuple[int, int]:
        """Where the sorted values in [low, high] (either bound optional) start and stop."""
        return (int(np.searchsorted(values, low, "left")) if low is not None else 0,
                int(np.searchsorted(values, high, "right")) if high is not None else values.size)

    def from_db_value(self, value, expression, connection):
        return None if value is None else self.decode(value)

    def to_python(self, value):
        return self.decode(value) if isinstance(value, (bytes, bytearray, memoryview)) else value

    def get_prep_value(self, value):
        return super().get_prep_value(self.encode(value, self.indexed) if isinstance(value, (np.ndarray, list))
                                      else value)


COUNT_BITS = 20  # a counted key is stored as key << 20 | count
STARTED, ENDED = 0, 1  # TripDay.station_trips: the side of a cluster's key (cluster id << 1 | side)
_COUNT_MASK = (1 << COUNT_BITS) - 1


def pack_counts(keys) -> np.ndarray:
    """Keys (one per trip; below 2**43) as sorted key << 20 | how many times it occurs; a key occurring 2**20 times
    or more (never seen in a day, but counts stay exact) takes several entries."""
    return pack_counted(*np.unique(np.asarray(keys, dtype=np.int64), return_counts=True))


def pack_counted(keys: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """pack_counts of distinct sorted keys already counted."""
    keys, counts = np.asarray(keys, dtype=np.int64), np.asarray(counts, dtype=np.int64)
    pieces = (counts + _COUNT_MASK - 1) // _COUNT_MASK
    keys = np.repeat(keys, pieces)
    split = np.full(keys.size, _COUNT_MASK, dtype=np.int64)
    split[np.cumsum(pieces) - 1] = counts - (pieces - 1) * _COUNT_MASK
    return (keys << COUNT_BITS) | split


def unpack_counts(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, counts) of pack_counts' entries."""
    return packed >> COUNT_BITS, packed & _COUNT_MASK


class TripDay(ScopedModel):
    scope_network_path = "network"

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="A day of `timezone`.")
    timezone = models.CharField(max_length=64, help_text="The network's time zone when the row was computed.")
    trip_count = models.PositiveIntegerField(default=0, help_text="Finished trips (what the statistics count).")
    all_trip_count = models.PositiveIntegerField(default=0, help_text="Trips of any state (listTrips' total).")
    filter_counts = models.JSONField(default=dict, help_text='Trips per state and demo trips ({"finished": n, ..., '
                                                             '"demo": n}): listTrips\' total under those filters.')
    riders = SortedIntegersField(help_text="Distinct rider ids.")
    vehicles = SortedIntegersField(help_text="Distinct vehicle ids.")
    distances = SortedIntegersField(indexed=True, help_text="One per trip, meters.")
    durations = SortedIntegersField(indexed=True, help_text="One per trip, seconds.")
    # Sums of the two, so that a year's totals and averages need not decode them (its medians decode a few blocks).
    distance_total = models.BigIntegerField(default=0, help_text="Sum of `distances`, meters.")
    duration_total = models.BigIntegerField(default=0, help_text="Sum of `durations`, seconds.")
    hours = ArrayField(models.PositiveIntegerField(), size=24, default=list, help_text="Trips per local hour.")
    distance_histogram = models.JSONField(default=dict, help_text="Payment mode -> trips per distance bucket.")
    duration_histogram = models.JSONField(default=dict, help_text="Payment mode -> trips per duration bucket.")
    # A year of a city's clusters summed from arrays, not from a JSON object per day (Metro's 500 clusters over 365
    # days: ~430 ms of JSON parsing and dict updates).
    station_trips = SortedIntegersField(help_text="Finished trips per cluster they started and ended at (pack_counts "
                                                  "of cluster id << 1 | STARTED or ENDED).")
    other_distances = SortedIntegersField(indexed=True, help_text="One per trip not finished (cancelled, running, "
                                                                  "on hold), meters.")
    other_durations = SortedIntegersField(indexed=True, help_text="One per trip not finished, seconds.")
    # Bounds of the day's trips' ids and end times: a listTrips total over an id or end-time range counts a day
    # lying wholly inside it from the row, and reads the trips only of the days it cuts (apps.trips.rollups).
    first_trip_id = models.BigIntegerField(null=True, blank=True)
    last_trip_id = models.BigIntegerField(null=True, blank=True)
    ended_count = models.PositiveIntegerField(default=0, help_text="Trips with an end time.")
    first_ended_at = models.DateTimeField(null=True, blank=True)
    last_ended_at = models.DateTimeField(null=True, blank=True)
    vehicle_trips = SortedIntegersField(help_text="Trips of any state per vehicle (pack_counts: vehicle id, count).")
    active_riders = SortedIntegersField(help_text="Distinct rider ids of the trips of any state (overview's active "
                                                  "riders).")
    # The heatmap's grid cells of the day's trip starts (any state), one field per zoom: apps.trips.heat.
    heat_0 = SortedIntegersField(indexed=True,
                                 help_text="Start cells of the 0.001° grid with their trip counts (packed).")
    heat_1 = SortedIntegersField(indexed=True,
                                 help_text="Start cells of the 0.0005° grid with their trip counts (packed).")
    heat_2 = SortedIntegersField(indexed=True,
                                 help_text="Start cells of the 0.0001° grid with their trip counts (packed).")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "day"], name="stats_tripday_one_per_network_day")]
        # Every unfiltered listTrips sums the stored days' counts of its networks (rollups._grouped_trip_counts): an
        # index-only scan here, instead of reading each day's row, whose parts are kilobytes.
        indexes = [models.Index(fields=["network", "timezone", "day"], include=["all_trip_count"],
                                name="tripday_counts_idx")]
        ordering = ["network", "day"]

    def __str__(self):
        return f"{self.network_id} {self.day}: {self.trip_count} trips"
