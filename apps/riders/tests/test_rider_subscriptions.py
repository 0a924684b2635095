"""Riders' subscriptions: the first period charged on subscribing (its free credits in the wallet), renewed by the
beat task at the period's end (once, however often it runs), past due when declined and canceled after three
declines, and ended at the period's end when the rider cancels."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.commerce.models import RiderSubscription, Subscription, SubscriptionPrice
from apps.commerce.tasks import renew_subscriptions
from apps.core.testing.clients import client_for
from apps.payments.models import PaymentAttempt, Transaction
from apps.payments.providers import sandbox_faults
from apps.payments.services import wallet_balance
from apps.riders.tests.factories import make_payment_method

from .test_rider_shop import API, _refused, _shop


def _commuter(network, **fields):
    subscription = Subscription.objects.create(network=network, name="Commuter", trip_duration=1800, **fields)
    return SubscriptionPrice.objects.create(subscription=subscription, price=Decimal("19.90"), interval_type="month",
                                            interval_count=1, free_credits=Decimal("2"))


def _ended(subscription):
    RiderSubscription.objects.filter(pk=subscription.pk).update(
        current_period_end=timezone.now() - timedelta(minutes=1))


def test_subscribing_charges_the_first_period_and_credits_its_free_credits(db):
    network, offer, day, rider = _shop()
    price = _commuter(network)
    client = client_for(rider)
    catalogue = client.get(f"{API}/networks/{network.pk}/catalogue").json()["Data"]
    assert [(s["Name"], [p["Id"] for p in s["Prices"]]) for s in catalogue["Subscriptions"]] == [
        ("Commuter", [price.pk])]
    _refused(client.post(f"{API}/subscription-prices/{price.pk}/subscribe"), "err_NoPaymentMethod", 402)
    make_payment_method(rider, is_default=True)
    with sandbox_faults(charge="decline"):
        _refused(client.post(f"{API}/subscription-prices/{price.pk}/subscribe"), "err_PaymentDeclined", 402)
    assert RiderSubscription.objects.get().status == "canceled"
    subscribed = client.post(f"{API}/subscription-prices/{price.pk}/subscribe").json()["Data"]
    stored = RiderSubscription.objects.get(pk=subscribed["Id"])
    assert (subscribed["Status"], subscribed["PeriodsPaid"], stored.status) == ("active", 1, "active")
    assert 28 <= (stored.current_period_end - stored.current_period_start).days <= 31
    payment = Transaction.objects.get(rider=rider, status="paid")
    assert (payment.kind, payment.amount_w_vat) == ("subscription", Decimal("19.90"))
    assert wallet_balance(wallet=rider.wallets.get()) == Decimal("2.00")
    _refused(client.post(f"{API}/subscription-prices/{price.pk}/subscribe"), "err_AlreadySubscribed", 409)
    assert [s["Id"] for s in client.get(f"{API}/riders/me/subscriptions").json()["Data"]] == [stored.pk, stored.pk - 1]


def test_the_beat_renews_a_period_once_and_cancels_at_the_period_end_when_asked(db):
    network, offer, day, rider = _shop()
    make_payment_method(rider, is_default=True)
    price = _commuter(network)
    client = client_for(rider)
    subscription = RiderSubscription.objects.get(
        pk=client.post(f"{API}/subscription-prices/{price.pk}/subscribe").json()["Data"]["Id"])
    assert renew_subscriptions() == {}  # not due
    first_end = subscription.current_period_end
    _ended(subscription)
    assert renew_subscriptions.delay().get() == {"renewed": 1}
    assert renew_subscriptions() == {}  # run again: nothing more
    subscription.refresh_from_db()
    assert (subscription.periods_paid, subscription.status) == (2, "active")
    assert subscription.current_period_start < first_end  # continued from the ended period's end
    assert Transaction.objects.filter(rider=rider, kind="subscription", status="paid").count() == 2
    assert wallet_balance(wallet=rider.wallets.get()) == Decimal("4.00")

    cancelled = client.post(f"{API}/riders/me/subscriptions/{subscription.pk}/cancel").json()["Data"]
    assert (cancelled["Status"], cancelled["CancelAtPeriodEnd"]) == ("active", True)
    _refused(client.post(f"{API}/riders/me/subscriptions/{subscription.pk}/cancel"), "err_SubscriptionNotActive",
             409)
    _ended(subscription)
    assert renew_subscriptions() == {"canceled": 1}
    subscription.refresh_from_db()
    assert (subscription.status, subscription.periods_paid) == ("canceled", 2)
    assert Transaction.objects.filter(rider=rider, kind="subscription").count() == 2  # nothing charged


def test_a_declined_renewal_is_past_due_tried_again_and_canceled_after_three(db):
    network, offer, day, rider = _shop()
    make_payment_method(rider, is_default=True)
    price = _commuter(network)
    subscription = RiderSubscription.objects.get(
        pk=client_for(rider).post(f"{API}/subscription-prices/{price.pk}/subscribe").json()["Data"]["Id"])
    _ended(subscription)
    with sandbox_faults(charge="decline"):
        assert renew_subscriptions() == {"past due": 1}
    assert RiderSubscription.objects.get(pk=subscription.pk).status == "past_due"
    assert renew_subscriptions() == {"renewed": 1}  # the next run's try goes through
    subscription.refresh_from_db()
    assert (subscription.status, subscription.periods_paid) == ("active", 2)
    assert subscription.current_period_end > timezone.now()  # a lapse restarts the period from the payment
    _ended(subscription)
    for _ in range(3):
        with sandbox_faults(charge="decline"):  # the next charge only
            assert renew_subscriptions() == {"past due": 1}
    assert renew_subscriptions() == {"canceled": 1}
    assert PaymentAttempt.objects.filter(key__startswith=f"subscription-{subscription.pk}-period-3-").count() == 3


def test_subscriptions_are_sold_within_the_riders_app_and_rules_only(db):
    network, offer, day, rider = _shop()
    other_network, _offer, _day, stranger = _shop()
    make_payment_method(rider, is_default=True)
    foreign = _commuter(other_network)
    members_only = _commuter(network, organization_only=True)
    client = client_for(rider)
    _refused(client.post(f"{API}/subscription-prices/{foreign.pk}/subscribe"), "err_SubscriptionNotFound", 404)
    _refused(client.post(f"{API}/subscription-prices/{members_only.pk}/subscribe"), "err_OrganizationOnly", 403)
    SubscriptionPrice.objects.filter(pk=members_only.pk).update(available=False)
    _refused(client.post(f"{API}/subscription-prices/{members_only.pk}/subscribe"), "err_SubscriptionNotFound", 404)
    _refused(client.post(f"{API}/subscription-prices/0/subscribe"), "err_InvalidElement", 400)
    assert not RiderSubscription.objects.exists() and not Transaction.objects.exists()
    mine = RiderSubscription.objects.create(rider=stranger, network=other_network, subscription=foreign.subscription,
                                            price=foreign)
    _refused(client.post(f"{API}/riders/me/subscriptions/{mine.pk}/cancel"), "err_SubscriptionNotFound", 404)


def test_staff_stop_a_renewal_from_the_admin_through_the_service(db, superuser):
    from django.test import Client

    network, offer, day, rider = _shop()
    make_payment_method(rider, is_default=True)
    price = _commuter(network)
    subscription_id = client_for(rider).post(f"{API}/subscription-prices/{price.pk}/subscribe").json()["Data"]["Id"]
    admin = Client()
    admin.force_login(superuser)
    changelist = "/admin/commerce/ridersubscription/"
    assert admin.get(changelist).status_code == 200
    done = admin.post(changelist, {"action": "cancel_at_period_end", "_selected_action": [subscription_id],
                                   "confirmed": "yes"}, follow=True)
    assert done.status_code == 200
    stored = RiderSubscription.objects.get(pk=subscription_id)
    assert (stored.status, stored.cancel_at_period_end) == ("active", True)
    assert admin.get(f"{changelist}{subscription_id}/change/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_subscribes_at_once_make_one_subscription_and_one_payment():
    from apps.core.testing.concurrency import at_once

    network, offer, day, rider = _shop()
    make_payment_method(rider, is_default=True)
    price = _commuter(network)
    url = f"{API}/subscription-prices/{price.pk}/subscribe"
    answers = at_once(lambda: client_for(rider).post(url), lambda: client_for(rider).post(url))
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert [a.json()["ErrorCode"] for a in answers if a.status_code == 409] == ["err_AlreadySubscribed"]
    assert RiderSubscription.objects.filter(rider=rider).count() == 1
    assert Transaction.objects.filter(rider=rider, kind="subscription").count() == 1
