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

from datetime import timedelta
from decimal import Decimal

from django.db.models import F, Q

from .models import Trip


def cover_trip(trip: Trip) -> Trip:
    from apps.commerce.models import RiderSubscription, UserPass
    from apps.commerce.services import user_pass_activate

    subscription = (RiderSubscription.objects.filter(
        rider_id=trip.rider_id, network_id=trip.network_id, status=RiderSubscription.Status.ACTIVE,
        current_period_start__lte=trip.started_at, current_period_end__gt=trip.started_at)
        .select_related("subscription").order_by("id").first())
    by_subscription = 0
    if subscription is not None and not _waiting(trip, subscription.subscription.trip_waiting_period):
        by_subscription = min(subscription.subscription.trip_duration, trip.duration)
    user_pass, by_pass = None, 0
    if trip.duration > by_subscription:
        user_pass = (UserPass.objects.select_for_update(of=("self",))
                     .filter(rider_id=trip.rider_id, pass_bought__network_id=trip.network_id, deleted_at__isnull=True,
                             refunded=False, remaining_seconds__gt=0)
                     .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=trip.started_at))
                     .order_by(F("activated_at").asc(nulls_last=True), "id").first())
        if user_pass is not None:
            if user_pass.activated_at is None:
                user_pass = user_pass_activate(user_pass=user_pass, at=trip.started_at)
            by_pass = min(trip.duration - by_subscription, user_pass.remaining_seconds)
            UserPass.objects.filter(pk=user_pass.pk).update(remaining_seconds=F("remaining_seconds") - by_pass)
    trip.covered_seconds = by_subscription + by_pass
    trip.covered_by_subscription = subscription if by_subscription else None
    trip.covered_by_pass = user_pass if by_pass else None
    trip.save(update_fields=["covered_seconds", "covered_by_subscription", "covered_by_pass", "updated_at"])
    return trip


def _waiting(trip: Trip, waiting_period: int | None) -> bool:
    """Whether a trip the rider's subscription covered ended less than `waiting_period` seconds before this one."""
    if not waiting_period:
        return False
    return (Trip.objects.filter(rider_id=trip.rider_id, network_id=trip.network_id,
                                covered_by_subscription__isnull=False,
                                ended_at__gt=trip.started_at - timedelta(seconds=waiting_period))
            .exclude(pk=trip.pk).exists())


def covered_amount(trip: Trip, segments) -> Decimal:
    """The price of the covered stretch's minutes (ridden and paused), by the network's rules."""
    from apps.pricing.engine import Segment
    from apps.pricing.services import quote_trip

    if not trip.covered_seconds:
        return Decimal(0)
    limit = trip.started_at + timedelta(seconds=trip.covered_seconds)
    covered = [Segment(s.kind, s.start, min(s.end, limit)) for s in segments if s.start < limit]
    quote = quote_trip(network=trip.network, segments=covered)
    return sum((line.amount for line in quote.lines if line.kind in ("use", "on_hold")), Decimal(0))
