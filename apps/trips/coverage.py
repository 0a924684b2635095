"""What a rider's subscription and passes cover of a trip: its first seconds, free.

When a trip ends (in the end's transaction, the trip's row locked), `cover_trip` decides, once:
- an active subscription of the rider in the network, whose paid period holds the trip's start, covers the first
  `trip_duration` seconds, unless a trip it covered ended less than `trip_waiting_period` seconds before;
- then a pass of the rider in the network (not removed, refunded or expired, with time left; an active one first)
  covers what is left of the trip, up to its remaining time, which it uses up; the trip activates a pass not yet
  active (its validity counts from the trip's start).
The trip records both and the covered seconds; `covered_amount` prices them (the per-minute lines of the covered
stretch, not the unlock or lock fees) for trip_compute_cost, which takes it off before the discounts. A recomputed cost
reads the same coverage: a pass is never used twice for one trip.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import F, Q

from apps.pricing.engine import Segment
from apps.pricing.services import quote_trip

from .models import Trip


@dataclass(frozen=True)
class Coverage:
    subscription: object | None
    by_subscription: int  # seconds
    user_pass: object | None
    by_pass: int

    @property
    def seconds(self) -> int:
        return self.by_subscription + self.by_pass


def plan_coverage(*, rider_id: int, network_id: int, started_at, duration: int, trip_id: int | None = None,
                  lock: bool = False) -> Coverage:
    """What the rider's subscription and pass would cover of a trip of `duration` seconds started at `started_at`
    (the pass's row locked with `lock`, for the end that uses it; a price preview reads it only)."""
    # at call time: commerce imports trips at load time (a cycle).
    from apps.commerce.models import RiderSubscription, UserPass

    subscription = (RiderSubscription.objects.filter(
        rider_id=rider_id, network_id=network_id, status=RiderSubscription.Status.ACTIVE,
        current_period_start__lte=started_at, current_period_end__gt=started_at)
        .select_related("subscription").order_by("id").first())
    by_subscription = 0
    if subscription is not None and not _waiting(rider_id, network_id, started_at, trip_id,
                                                 subscription.subscription.trip_waiting_period):
        by_subscription = min(subscription.subscription.trip_duration, duration)
    user_pass, by_pass = None, 0
    if duration > by_subscription:
        passes = UserPass.objects.select_for_update(of=("self",)) if lock else UserPass.objects
        user_pass = (passes.filter(rider_id=rider_id, pass_bought__network_id=network_id, deleted_at__isnull=True,
                                   refunded=False, remaining_seconds__gt=0)
                     .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=started_at))
                     .order_by(F("activated_at").asc(nulls_last=True), "id").first())
        if user_pass is not None:
            by_pass = min(duration - by_subscription, user_pass.remaining_seconds)
    return Coverage(subscription if by_subscription else None, by_subscription, user_pass if by_pass else None,
                    by_pass)


def cover_trip(trip: Trip, *, save: bool = True) -> Trip:
    """Decide and record what covers the ended `trip` (its row locked by the caller): the pass is activated by it
    when not yet active, and the time it covers used up. Without `save`, the trip's fields are set for the caller's
    own save (COVERAGE_FIELDS)."""
    # at call time: commerce imports trips at load time (a cycle).
    from apps.commerce.models import UserPass
    # at call time: commerce imports trips at load time (a cycle).
    from apps.commerce.services import user_pass_activate

    coverage = plan_coverage(rider_id=trip.rider_id, network_id=trip.network_id, started_at=trip.started_at,
                             duration=trip.duration, trip_id=trip.pk, lock=True)
    if coverage.user_pass is not None:
        if coverage.user_pass.activated_at is None:
            user_pass_activate(user_pass=coverage.user_pass, at=trip.started_at)
        UserPass.objects.filter(pk=coverage.user_pass.pk).update(
            remaining_seconds=F("remaining_seconds") - coverage.by_pass)
    trip.covered_seconds = coverage.seconds
    trip.covered_by_subscription, trip.covered_by_pass = coverage.subscription, coverage.user_pass
    if save:
        trip.save(update_fields=[*COVERAGE_FIELDS, "updated_at"])
    return trip


COVERAGE_FIELDS = ("covered_seconds", "covered_by_subscription", "covered_by_pass")


def _waiting(rider_id, network_id, started_at, trip_id, waiting_period: int | None) -> bool:
    """Whether a trip the rider's subscription covered ended less than `waiting_period` seconds before `started_at`."""
    if not waiting_period:
        return False
    return (Trip.objects.filter(rider_id=rider_id, network_id=network_id, covered_by_subscription__isnull=False,
                                ended_at__gt=started_at - timedelta(seconds=waiting_period))
            .exclude(pk=trip_id).exists())


def covered_amount(trip: Trip, segments, *, covered_seconds: int | None = None) -> Decimal:
    """The price of the covered stretch's minutes (ridden and paused), by the network's rules: the trip's recorded
    coverage, or `covered_seconds` (a price preview's)."""

    covered_seconds = trip.covered_seconds if covered_seconds is None else covered_seconds
    if not covered_seconds:
        return Decimal(0)
    limit = trip.started_at + timedelta(seconds=covered_seconds)
    covered = [Segment(s.kind, s.start, min(s.end, limit)) for s in segments if s.start < limit]
    quote = quote_trip(network=trip.network, segments=covered)
    return sum((line.amount for line in quote.lines if line.kind in ("use", "on_hold")), Decimal(0))
