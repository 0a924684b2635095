"""The catalogue's rules in the seed's wording, and what riders bought."""
from decimal import Decimal

import pytest

from apps.commerce import services
from apps.commerce.models import Offer, UserPass
from apps.core.exceptions import BusinessRuleViolation
from apps.core.testing.contract import database_state
from apps.core.testing.responses import code, error_key, fields_of
from apps.payments.models import WalletEntry
from apps.payments.services import wallet_balance, wallet_credit
from apps.reference.models import Currency
from apps.riders.tests.factories import make_member, make_payment_method

from .test_api_contract import make_offer, make_pass, make_user_pass

API = "/api/dashboard/v1"


def test_only_availability_can_be_changed_on_an_offer_already_bought(admin_client):
    offer = make_offer()
    rider = make_member(offer.network)
    services.offer_buy(offer=offer, rider=rider, method=make_payment_method(rider, provider="stripe", is_default=True))
    assert wallet_balance(wallet=rider.wallets.get()) == Decimal("20.00")
    url = f"{API}/offers/{offer.pk}"
    before = database_state()
    assert error_key(admin_client.put(url, {"title": "Cheaper", "price": 10}, format="json")) == "offer.bought"
    assert database_state() == before
    assert code(admin_client.put(url, {"available": False}, format="json")) == 0
    assert code(admin_client.put(url, {"title": offer.title}, format="json")) == 0  # unchanged is no change
    assert error_key(admin_client.delete(url)) == "offer.bought"
    fresh = make_offer()
    assert code(admin_client.put(f"{API}/offers/{fresh.pk}", {"price": 7.777}, format="json")) == 0
    assert Offer.objects.get(pk=fresh.pk).price == Decimal("7.78")  # the network currency's precision
    assert code(admin_client.delete(f"{API}/offers/{fresh.pk}")) == 0


def test_a_pass_is_bought_from_the_wallet_and_then_only_its_availability_changes(admin_client):
    offered = make_pass()
    rider = make_member(offered.network)
    currency = Currency.objects.get(code="EUR")
    with pytest.raises(BusinessRuleViolation) as refused:
        services.pass_buy(offered=offered, rider=rider)
    assert refused.value.key == "wallet.insufficient"
    wallet_credit(rider=rider, amount=Decimal("6"), currency=currency, reason="Gift", actor=None)
    bought = services.pass_buy(offered=offered, rider=rider)
    assert wallet_balance(wallet=rider.wallets.get()) == Decimal("1.00")
    url = f"{API}/passes/{offered.pk}"
    assert error_key(admin_client.put(url, {"available": True, "duration": 10}, format="json")) == "pass.bought"
    assert code(admin_client.put(url, {"available": False}, format="json")) == 0
    assert error_key(admin_client.delete(url)) == "pass.bought"
    listed = admin_client.get(f"{API}/users/{rider.pk}/passes").json()["data"]
    assert [p["id"] for p in listed] == [bought.pk]


def test_a_riders_pass_is_refunded_once_to_the_wallet(admin_client):
    user_pass = make_user_pass()
    url = f"{API}/user-passes/{user_pass.pk}"
    first = admin_client.delete(f"{url}?refund=true", HTTP_IDEMPOTENCY_KEY="remove-pass-1")
    again = admin_client.delete(f"{url}?refund=true", HTTP_IDEMPOTENCY_KEY="remove-pass-1")
    assert code(first) == 0 and code(again) == 0
    assert code(admin_client.delete(f"{url}?refund=true")) == -5  # removed already
    refunds = WalletEntry.objects.filter(wallet__rider=user_pass.rider, kind="refund")
    assert [e.amount for e in refunds] == [Decimal("5.00")]
    assert UserPass.objects.get(pk=user_pass.pk).refunded


def test_disabling_a_pass_lets_it_be_activated_again_and_reset_gives_its_time_back(admin_client):
    user_pass = make_user_pass(activated_at="2026-05-01T08:00:00Z", remaining_seconds=100)
    url = f"{API}/user-passes/{user_pass.pk}/disable"
    assert code(admin_client.post(url, {"reset": True}, format="json")) == 0
    user_pass.refresh_from_db()
    assert user_pass.activated_at is None and user_pass.remaining_seconds == 3600
    assert error_key(admin_client.post(url, {}, format="json")) == "user_pass.not_active"


def test_a_repeating_subscription_discount_needs_its_months(admin_client, db):
    from apps.networks.tests.factories import make_network

    network = make_network()
    body = {"percent_off": 10, "duration": "repeating", "duration_in_months": None, "network_id": network.pk}
    refused = admin_client.post(f"{API}/subscriptions/discounts", body, format="json")
    assert code(refused) == -2 and "duration_in_months" in fields_of(refused)
    once = admin_client.post(f"{API}/subscriptions/discounts", {**body, "duration": "once"}, format="json")
    assert code(once) == 0


# --- a rider of two networks (issue 33): passes belong to the pass's network ---------------------------------------
def test_a_pass_bought_in_another_network_is_out_of_reach_through_a_rider_shared_by_both(staff_user, grant_access):
    from django.test import Client
    from django.urls import reverse

    from apps.access.tests.factories import make_unit
    from apps.core.testing.clients import client_for
    from apps.networks.tests.factories import make_network
    from apps.riders.services import record_activity
    from django.utils import timezone

    mine, theirs = make_network(name="Mine"), make_network(name="Theirs")
    rider = make_member(mine)
    record_activity(rider_id=rider.pk, network_id=theirs.pk, at=timezone.now())
    own = UserPass.objects.create(rider=rider, pass_bought=make_pass(network=mine), price_paid=5, remaining_seconds=1)
    other = UserPass.objects.create(rider=rider, pass_bought=make_pass(network=theirs), price_paid=5,
                                    remaining_seconds=1, activated_at=timezone.now())
    grant_access(staff_user, "users.credits", write=True, where=make_unit(networks=[mine]))
    api = client_for(staff_user)
    assert [p["id"] for p in api.get(f"{API}/users/{rider.pk}/passes").json()["data"]] == [own.pk]
    before = database_state()
    assert code(api.post(f"{API}/user-passes/{other.pk}/disable", {"reset": True}, format="json")) == -5
    assert code(api.delete(f"{API}/user-passes/{other.pk}?refund=true")) == -5
    assert database_state() == before
    assert code(api.delete(f"{API}/user-passes/{own.pk}?refund=true")) == 0
    staff_user.is_staff = True
    staff_user.save()
    admin = Client()
    admin.force_login(staff_user)
    listed = admin.get(reverse("admin:commerce_userpass_changelist")).context["cl"].result_list
    assert [p.pk for p in listed] == [own.pk]
    assert admin.get(reverse("admin:commerce_userpass_change", args=[other.pk])).status_code in (302, 404)
