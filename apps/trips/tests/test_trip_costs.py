"""A trip's cost under its network's pricing: pauses, the billing stop, promotions."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from apps.core.testing.responses import code, fields_of
from apps.discounts.tests.factories import make_discount
from apps.networks.tests.factories import make_network
from apps.pricing.tests.factories import make_rule
from apps.trips.models import Trip, TripEvent
from apps.trips.services import trip_compute_cost, trip_segments

from .factories import make_trip

START = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)  # a Monday


@pytest.fixture
def network(db):
    network = make_network()
    # Whole week: 1.00 to unlock, 0.20 a minute riding, 0.05 paused, 0.50 to lock in freefloat.
    make_rule(network=network, unlock_price=Decimal("1"), use_per_minute_price=Decimal("0.20"),
              on_hold_price=Decimal("0.05"), freefloat_lock_price=Decimal("0.50"))
    return network


def ride(network, minutes=30, **fields):
    return make_trip(network=network, started_at=START, ended_at=START + timedelta(minutes=minutes),
                     duration=minutes * 60, **fields)


def pause(trip, start_minute, end_minute):
    for minute, kind in ((start_minute, TripEvent.Type.PAUSE), (end_minute, TripEvent.Type.RESUME)):
        TripEvent.objects.create(trip=trip, type=kind, timestamp=START + timedelta(minutes=minute))


def test_cost_with_a_pause_and_a_freefloat_lock(network):
    trip = ride(network, 30)
    pause(trip, 10, 20)
    assert [(s.kind, s.minutes) for s in trip_segments(trip=trip)] == [("use", 10), ("on_hold", 10), ("use", 10)]
    trip = trip_compute_cost(trip=trip)
    assert trip.amount == Decimal("1") + 20 * Decimal("0.20") + 10 * Decimal("0.05") + Decimal("0.50")
    assert trip.discount_amount == 0 and trip.cost_computed_at is not None


def test_promotion_comes_off_the_cost(network):
    trip = ride(network, 30, promotion=make_discount(network=network, type=6, data=Decimal("25")))
    trip = trip_compute_cost(trip=trip)
    assert (trip.amount, trip.discount_amount, trip.amount_due) == (Decimal("7.50"), Decimal("1.88"), Decimal("5.62"))


def test_billing_stop_reprices_and_null_erases_it(admin_client, network):
    trip = trip_compute_cost(trip=ride(network, 30))
    url = f"/api/dashboard/v1/trips/{trip.pk}/billing-stop"
    stop = (START + timedelta(minutes=10)).isoformat()
    assert code(admin_client.put(url, {"date": stop}, content_type="application/json")) == 0
    trip.refresh_from_db()
    assert trip.amount == Decimal("1") + 10 * Decimal("0.20") + Decimal("0.50")
    detail = admin_client.get(f"/api/dashboard/v1/trips/{trip.pk}").json()["data"]
    assert detail["billing_stop_at"] == stop.replace("+00:00", "Z") and detail["amount"] == 3.5
    assert code(admin_client.put(url, {"date": None}, content_type="application/json")) == 0
    trip.refresh_from_db()
    assert (trip.billing_stop_at, trip.amount) == (None, Decimal("7.50"))


@pytest.mark.parametrize("offset", [timedelta(minutes=-1), timedelta(minutes=31)])
def test_billing_stop_inside_the_trip(admin_client, network, offset):
    trip = ride(network, 30)
    response = admin_client.put(f"/api/dashboard/v1/trips/{trip.pk}/billing-stop",
                                {"date": (START + offset).isoformat()}, content_type="application/json")
    assert code(response) == -2 and "date" in fields_of(response)
    assert Trip.objects.get(pk=trip.pk).billing_stop_at is None


def test_no_pricing_means_no_charge(db):
    trip = trip_compute_cost(trip=ride(make_network(), 30))
    assert trip.amount == 0
