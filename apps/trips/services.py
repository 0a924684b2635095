"""Writes on trips: the cost under the network's pricing, the billing stop."""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ValidationFailed
from apps.discounts.models import Discount
from apps.organizations.services import organization_share
from apps.pricing.engine import Segment
from apps.pricing.services import quote_trip

from .coverage import covered_amount
from .models import Trip, TripEvent


PAUSE_EVENTS = (TripEvent.Type.PAUSE, TripEvent.Type.RESUME)


def trip_segments(*, trip: Trip, end=None, events=None) -> list[Segment]:
    """The ridden and paused stretches of a trip from its pause/resume events (`events`, in time order, else read
    here), up to `end` (default: its end, cut at the billing stop)."""
    if end is None:
        end = min(trip.ended_at, trip.billing_stop_at) if trip.billing_stop_at else trip.ended_at
    if events is None:
        events = trip.events.filter(type__in=PAUSE_EVENTS).order_by("timestamp", "id")
    segments, kind, since = [], "use", trip.started_at
    for event in events:
        at = min(max(event.timestamp, trip.started_at), end)
        new_kind = "on_hold" if event.type == TripEvent.Type.PAUSE else "use"
        if new_kind != kind:
            segments.append(Segment(kind, since, at))
            kind, since = new_kind, at
    segments.append(Segment(kind, since, end))
    return [s for s in segments if s.end > s.start]


def _discount_on(discount, cost: Decimal, currency) -> Decimal:
    if discount.type == Discount.Type.TRIPS_PERCENT:
        return currency.quantize(cost * discount.data / 100)
    return min(discount.data, cost)  # an amount off the next trip, never below zero


def trip_compute_cost(*, trip: Trip, events=None, save: bool = True) -> Trip:
    """Price a finished trip with the network's rules, then take off what the rider's subscription or pass covered,
    its promotion and its coupon (in that order, never below zero). Running trips are priced when they end.
    `events`: its pause and resume events, when the caller has read them (trip_segments). Without `save`, the
    trip's fields are set for the caller's own save (COST_FIELDS)."""
    if trip.ended_at is None:
        return trip

    currency = trip.network.currency
    segments = trip_segments(trip=trip, events=events)
    cost = currency.quantize(quote_trip(network=trip.network, segments=segments,
                                        freefloat_lock=trip.end_cluster_id is None).total)
    # What the rider's subscription or pass covered (apps.trips.coverage) first, then the promotion and coupon.
    discount = min(currency.quantize(covered_amount(trip, segments)), cost)
    coupon_use = getattr(trip, "coupon_use", None)
    for promotion in [trip.promotion, coupon_use.code.discount if coupon_use else None]:
        if promotion is not None:
            discount += _discount_on(promotion, cost - discount, currency)

    # The rider's organization pays its share of what is left after the discounts (its rules, or its outside ratio).
    share = organization_share(trip=trip, charge=max(cost - discount, Decimal(0)))
    trip.amount, trip.discount_amount, trip.cost_computed_at = cost, discount, timezone.now()
    trip.organization, trip.organization_amount = share.organization, share.amount
    if save:
        trip.save(update_fields=[*COST_FIELDS, "updated_at"])
    return trip


COST_FIELDS = ("amount", "discount_amount", "cost_computed_at", "organization", "organization_amount")


@transaction.atomic
def trip_set_billing_stop(*, trip: Trip, date) -> Trip:
    """Stop billing at `date` (null: bill to the end again) and reprice the trip."""
    trip = Trip.objects.select_for_update(of=("self",)).select_related("network__currency").get(pk=trip.pk)
    if date is not None:
        end = trip.ended_at or timezone.now()
        if not trip.started_at <= date <= end:
            raise ValidationFailed.on("date", "The billing stop must be between the trip's start and its end.")
    trip.billing_stop_at = date
    trip.save(update_fields=["billing_stop_at", "updated_at"])
    return trip_compute_cost(trip=trip)
