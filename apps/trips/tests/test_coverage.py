"""What a rider's subscription and passes cover of a trip's price: the first minutes free, decided once at the end
(a recomputed cost uses no pass twice), with the subscription's waiting period and the pass's time left."""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.commerce.models import RiderSubscription, Subscription, SubscriptionPrice, UserPass
from apps.commerce.services import pass_create
from apps.core.testing.clients import client_for
from apps.trips.models import Trip
from apps.trips.services import trip_compute_cost

from .test_lifecycle import API, HERE, _start, _world


def _ride(client, vehicle, minutes: int) -> Trip:
    """A trip of `minutes` ridden: 1.00 to unlock, 0.15 a started minute, 0.50 to lock free-floating."""
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    Trip.objects.filter(guid=guid).update(started_at=timezone.now() - timedelta(minutes=minutes, seconds=-5))
    ended = client.post(f"{API}/{guid}/end", HERE, format="json")
    assert ended.status_code == 200, ended.json()
    return Trip.objects.get(guid=guid)


def _subscribed(network, rider, *, covered=1800, waiting=None):
    subscription = Subscription.objects.create(network=network, name="Commuter", trip_duration=covered,
                                               trip_waiting_period=waiting)
    price = SubscriptionPrice.objects.create(subscription=subscription, price=Decimal("19.90"), interval_type="month",
                                             interval_count=1)
    now = timezone.now()
    return RiderSubscription.objects.create(
        rider=rider, network=network, subscription=subscription, price=price, status="active", periods_paid=1,
        current_period_start=now - timedelta(days=1), current_period_end=now + timedelta(days=29))


def test_a_subscription_covers_the_first_minutes_of_each_trip_after_its_waiting_period(db):
    network, rider, card, vehicle = _world()
    subscription = _subscribed(network, rider, covered=1800, waiting=3600)
    client = client_for(rider)
    covered = _ride(client, vehicle, 40)
    assert covered.amount == Decimal("7.50")  # 1.00 + 40 x 0.15 + 0.50
    assert (covered.covered_seconds, covered.covered_by_subscription_id) == (1800, subscription.pk)
    assert covered.discount_amount == Decimal("4.50")  # 30 minutes at 0.15
    answer = client.get(f"{API}/{covered.guid}").json()["Data"]
    assert (answer["DiscountAmount"], answer["AmountDue"]) == ("4.50", "3.00")

    within_wait = _ride(client, vehicle, 10)  # less than an hour after a covered trip: paid in full
    assert (within_wait.covered_seconds, within_wait.discount_amount) == (0, Decimal("0"))
    RiderSubscription.objects.filter(pk=subscription.pk).update(status="past_due")
    Trip.objects.filter(pk__in=[covered.pk, within_wait.pk]).update(  # two hours ago: past the waiting period
        started_at=timezone.now() - timedelta(hours=3), ended_at=timezone.now() - timedelta(hours=2))
    assert _ride(client, vehicle, 10).covered_seconds == 0  # not active: nothing covered
    RiderSubscription.objects.filter(pk=subscription.pk).update(status="active")
    assert _ride(client, vehicle, 10).covered_seconds == 595  # active, the wait over: covered again


def test_a_pass_covers_what_is_left_uses_its_time_once_and_activates_with_the_trip(db):
    network, rider, card, vehicle = _world()
    offered = pass_create(network=network, title="Ten minutes", available=True, price=Decimal("1"), duration=600,
                          validity="day")
    held = UserPass.objects.create(rider=rider, pass_bought=offered, price_paid=Decimal("1"), remaining_seconds=600)
    trip = _ride(client_for(rider), vehicle, 25)
    held.refresh_from_db()
    assert (trip.covered_seconds, trip.covered_by_pass_id, held.remaining_seconds) == (600, held.pk, 0)
    assert held.activated_at == trip.started_at and held.expires_at == trip.started_at + timedelta(days=1)
    assert trip.discount_amount == Decimal("1.50")  # 10 minutes at 0.15

    trip_compute_cost(trip=Trip.objects.get(pk=trip.pk))  # a recomputed cost: the same coverage, no pass time used
    trip.refresh_from_db()
    held.refresh_from_db()
    assert (trip.discount_amount, held.remaining_seconds) == (Decimal("1.50"), 0)
    assert _ride(client_for(rider), vehicle, 5).covered_seconds == 0  # its time is used up


def test_a_subscription_then_a_pass_cover_one_trip_in_turn(db):
    network, rider, card, vehicle = _world()
    _subscribed(network, rider, covered=600)
    offered = pass_create(network=network, title="Day", available=True, price=Decimal("5"), duration=3600,
                          validity="day")
    held = UserPass.objects.create(rider=rider, pass_bought=offered, price_paid=Decimal("5"), remaining_seconds=3600)
    trip = _ride(client_for(rider), vehicle, 30)
    held.refresh_from_db()
    ridden = 30 * 60 - 5  # _ride's trips last a few seconds less than their minutes
    assert (trip.covered_seconds, held.remaining_seconds) == (ridden, 3600 - (ridden - 600))
    assert trip.discount_amount == Decimal("4.50")  # all 30 minutes
    assert trip.amount - trip.discount_amount == Decimal("1.50")  # the unlock and the lock remain
