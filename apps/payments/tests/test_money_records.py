"""Money records nothing can delete or rewrite (issue 33): every admin of a payments or commerce record refuses
deletion, the database refuses it too, the admin's money actions refuse what the API refuses, races between two
different money operations end with one winner and a contract error, idempotency answers expire, and the CHECKs."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.commerce import services as commerce
from apps.commerce.models import OfferPurchase, UserPass
from apps.commerce.tests.test_api_contract import make_offer, make_pass
from apps.core.api import idempotency
from apps.core.models import IdempotencyRecord
from apps.core.testing.clients import client_for
from apps.core.testing.concurrency import at_once
from apps.core.testing.responses import code
from apps.networks.tests.factories import make_network
from apps.payments import services
from apps.payments.immutability import IMMUTABLE
from apps.payments.models import (BankGuarantee, Invoice, PaymentAttempt, Refund, Transaction, Wallet,
                                  WalletEntry)
from apps.reference.models import Currency
from apps.riders.tests.factories import make_member, make_payment_method

from .factories import make_payment

API = "/api/dashboard/v1"


def eur():
    return Currency.objects.get(code="EUR")


@pytest.fixture
def every_record(db):
    """One row of every money table, made through the services."""
    payment = make_payment(amount_w_vat="12.00")
    services.transaction_refund(payment=payment, amount=Decimal(2), reason="Broken brake reported", actor=None)
    rider = payment.rider
    services.wallet_credit(rider=rider, amount=Decimal(5), currency=eur(), reason="Gift", actor=None)
    services.guarantee_hold(rider=rider, network=payment.network, method=make_payment_method(rider), amount=Decimal(9))
    offer = make_offer(network=payment.network)
    commerce.offer_buy(offer=offer, rider=rider, method=make_payment_method(rider))
    commerce.pass_buy(offered=make_pass(network=payment.network), rider=rider)
    return {model: model.objects.order_by("pk").first() for model in (
        Transaction, Refund, Invoice, WalletEntry, PaymentAttempt, BankGuarantee, UserPass, OfferPurchase)}


def record_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.db_table in IMMUTABLE]


def test_every_money_table_has_an_admin_or_is_shown_on_its_parents_page():
    shown = {model._meta.db_table for model, _ in record_admins()}
    assert shown | {"payments_walletentry", "commerce_offerpurchase"} == set(IMMUTABLE)


@pytest.mark.parametrize("model", [model for model, _ in record_admins()], ids=lambda m: m.__name__)
def test_the_admin_of_a_money_record_refuses_to_delete_it_one_by_one_and_in_bulk(model, every_record, superuser):
    row = every_record[model]
    model_admin = admin.site._registry[model]
    client = Client()
    client.force_login(superuser)
    info = model._meta.app_label, model._meta.model_name
    changelist = reverse("admin:%s_%s_changelist" % info)
    assert client.get(changelist).status_code == 200
    change = client.get(reverse("admin:%s_%s_change" % info, args=[row.pk]))
    assert change.status_code == 200 and b"deletelink" not in change.content
    assert client.get(reverse("admin:%s_%s_delete" % info, args=[row.pk])).status_code == 403
    assert client.post(reverse("admin:%s_%s_delete" % info, args=[row.pk]), {"post": "yes"}).status_code == 403
    request = type("R", (), {"user": superuser, "GET": {}, "POST": {}})()
    assert "delete_selected" not in model_admin.get_actions(request)
    client.post(changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("table", sorted(IMMUTABLE))
def test_the_database_refuses_to_delete_a_money_record_or_rewrite_its_amounts(table, every_record):
    model = next(m for m in every_record if m._meta.db_table == table)
    row = every_record[model]
    amounts = [c for c in IMMUTABLE[table] if "amount" in c or c == "price_paid"]
    change = f"{amounts[0]} = {amounts[0]} + 1" if amounts else f"{IMMUTABLE[table][0]} = NULL"
    with pytest.raises(IntegrityError, match="records money"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    with pytest.raises(IntegrityError, match="records money"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {change} WHERE id = %s", [row.pk])
    # Through the models too (a shell): refused, and said as the rule it is.
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk)._raw_delete(model.objects.db)


def test_what_may_change_on_a_money_record_still_changes(every_record):
    payment = every_record[Transaction]
    Transaction.objects.filter(pk=payment.pk).update(updated_at=timezone.now())  # not an amount
    guarantee = every_record[BankGuarantee]
    BankGuarantee.objects.filter(pk=guarantee.pk).update(released_at=timezone.now())


def test_an_api_write_the_database_refuses_as_immutable_is_a_clear_error(every_record):
    from apps.core.exceptions import constraint_error

    with pytest.raises(IntegrityError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM payments_invoice WHERE id = %s", [every_record[Invoice].pk])
    error = constraint_error(refused.value)
    assert (error.code, error.key) == (-6, "money.immutable")


# --- the admin's money actions take what the API takes -----------------------------------------------------------
OUT_OF_BOUNDS = ["1e30", "-1", "0", "abc", "NaN", "Infinity", "1" * 40, ""]


@pytest.mark.parametrize("amount", OUT_OF_BOUNDS)
def test_the_refund_action_refuses_what_the_api_refuses(superuser, amount):
    payment = make_payment(amount_w_vat="10.00")
    client = Client()
    client.force_login(superuser)
    url = reverse("admin:payments_transaction_changelist")
    response = client.post(url, {"action": "refund", "amount": amount, "reason": "Broken brake reported",
                                 "_selected_action": [payment.pk]}, follow=True)
    assert response.status_code == 200
    assert "amount" in " ".join(str(m) for m in response.context["messages"])
    api = client_for(superuser).post(f"{API}/transactions/{payment.pk}/refund",
                                     {"amount": amount, "reason": "Broken brake reported"}, format="json")
    assert code(api) == -2
    assert not Refund.objects.exists() and not PaymentAttempt.objects.filter(operation="refund").exists()


@pytest.mark.parametrize("amount", OUT_OF_BOUNDS)
def test_the_credit_action_refuses_what_the_api_refuses(superuser, amount):
    rider = make_member()
    services.wallet_credit(rider=rider, amount=Decimal(1), currency=eur(), reason="Start", actor=None)
    wallet = Wallet.objects.get(rider=rider)
    client = Client()
    client.force_login(superuser)
    response = client.post(reverse("admin:payments_wallet_changelist"), {
        "action": "credit", "amount": amount, "reason": "Sorry for the wait", "_selected_action": [wallet.pk]},
        follow=True)
    assert response.status_code == 200
    assert "amount" in " ".join(str(m) for m in response.context["messages"])
    assert services.wallet_balance(wallet=wallet) == Decimal("1.00")


def test_the_refund_action_refuses_a_reason_the_api_refuses_and_takes_a_good_one(superuser):
    payment = make_payment(amount_w_vat="10.00")
    client = Client()
    client.force_login(superuser)
    url = reverse("admin:payments_transaction_changelist")
    client.post(url, {"action": "refund", "amount": "4", "reason": "short", "_selected_action": [payment.pk]})
    assert not Refund.objects.exists()
    client.post(url, {"action": "refund", "amount": "4.004", "reason": "Broken brake reported",
                      "_selected_action": [payment.pk]})
    assert Refund.objects.get().amount == Decimal("4.00")  # rounded to the currency, as the API does


# --- races between two different money operations ---------------------------------------------------------------
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestRacingMoneyOperations:
    @pytest.fixture
    def root(self):
        return get_user_model().objects.create_superuser(email="races@example.com", password="x")

    def test_a_credit_racing_the_wallets_closing_ends_in_order_never_in_a_500(self, root):
        rider = make_member()
        for attempt in range(8):
            services.wallet_credit(rider=rider, amount=Decimal(3), currency=eur(), reason="Start", actor=None)
            wallet = Wallet.objects.get(rider=rider, closed_at__isnull=True)
            credit = lambda: client_for(root).post(f"{API}/users/{rider.pk}/wallets",  # noqa: E731
                                                   {"amount": 2, "currency": "EUR", "reason": "Goodwill"},
                                                   format="json")
            close = lambda: client_for(root).delete(f"{API}/users/{rider.pk}/wallets",  # noqa: E731
                                                    QUERY_STRING=f"wallet={wallet.pk}&reason=Closed")
            answers = at_once(credit, close, credit)
            assert [a.status_code for a in answers] == [200, 200, 200], [a.content for a in answers]
            wallet.refresh_from_db()
            assert wallet.closed_at is not None and services.wallet_balance(wallet=wallet) == 0
        for wallet in Wallet.objects.filter(rider=rider):
            assert services.wallet_balance(wallet=wallet) >= 0
        # Every credit landed once: in the wallet it was closed with, or in the next open one.
        assert WalletEntry.objects.filter(wallet__rider=rider, kind="credit").count() == 8 * 3

    def test_refunds_of_one_pass_racing_each_other_refund_it_once(self, root):
        offered = make_pass()
        rider = make_member(offered.network)
        services.wallet_credit(rider=rider, amount=Decimal(5), currency=eur(), reason="Gift", actor=None)
        user_pass = commerce.pass_buy(offered=offered, rider=rider)
        url = f"{API}/user-passes/{user_pass.pk}?refund=true"
        answers = at_once(*[lambda: client_for(root).delete(url) for _ in range(10)])
        assert sorted(code(a) for a in answers) == [-5] * 9 + [0]
        assert WalletEntry.objects.filter(wallet__rider=rider, kind="refund").count() == 1

    def test_a_pass_refund_racing_the_wallets_closing_never_answers_500(self, root):
        offered = make_pass()
        rider = make_member(offered.network)
        for _ in range(5):
            services.wallet_credit(rider=rider, amount=Decimal(5), currency=eur(), reason="Gift", actor=None)
            user_pass = commerce.pass_buy(offered=offered, rider=rider)
            wallet = Wallet.objects.get(rider=rider, closed_at__isnull=True)
            answers = at_once(
                lambda: client_for(root).delete(f"{API}/user-passes/{user_pass.pk}?refund=true"),
                lambda: client_for(root).delete(f"{API}/users/{rider.pk}/wallets",
                                                QUERY_STRING=f"wallet={wallet.pk}&reason=Closed"))
            assert [code(a) for a in answers] == [0, 0], [a.content for a in answers]
        refunds = WalletEntry.objects.filter(wallet__rider=rider, kind="refund")
        assert refunds.count() == 5 and sum(e.amount for e in refunds) == Decimal(25)
        for wallet in Wallet.objects.filter(rider=rider, closed_at__isnull=False):
            assert services.wallet_balance(wallet=wallet) == 0

    def test_a_refund_racing_a_refund_of_another_transaction_of_the_rider_never_mixes(self, root):
        network = make_network()
        rider = make_member(network)
        first, second = make_payment(network=network, rider=rider), make_payment(network=network, rider=rider)
        answers = at_once(*[lambda p=p: client_for(root).post(f"{API}/transactions/{p.pk}/refund",
                                                               {"amount": 12, "reason": "Whole trip refunded"},
                                                               format="json") for p in (first, second) * 3])
        assert sorted(code(a) for a in answers) == [-2] * 4 + [0] * 2
        for payment in (first, second):
            payment.refresh_from_db()
            assert payment.refunded_amount == Decimal("12.00") and payment.refunds.count() == 1


# --- idempotency answers expire -----------------------------------------------------------------------------------
def test_an_idempotency_key_past_its_retention_is_a_new_request(admin_client, settings):
    payment = make_payment(amount_w_vat="10.00")
    url = f"{API}/transactions/{payment.pk}/refund"
    first = admin_client.post(url, {"amount": 1, "reason": "Broken brake reported"}, format="json",
                              HTTP_IDEMPOTENCY_KEY="k-1")
    assert code(first) == 0
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=settings.IDEMPOTENCY_RETENTION_DAYS,
                                                                          minutes=1))
    again = admin_client.post(url, {"amount": 2, "reason": "Broken brake reported"}, format="json",
                              HTTP_IDEMPOTENCY_KEY="k-1")
    assert code(again) == 0 and again.get("Idempotent-Replayed") is None
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("3.00")


def test_the_prune_forgets_answers_past_their_retention_only(db, settings):
    old = IdempotencyRecord.objects.create(user_id=1, key="old", operation_id="x", request_hash="h")
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    IdempotencyRecord.objects.create(user_id=1, key="new", operation_id="x", request_hash="h")
    settings.IDEMPOTENCY_RETENTION_DAYS = 7
    assert idempotency.prune() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_a_pending_refund_keeps_its_key_so_the_retry_joins_it(admin_client):
    from apps.payments.providers import sandbox_faults

    payment = make_payment(amount_w_vat="10.00")
    url = f"{API}/transactions/{payment.pk}/refund"
    body = {"amount": 4, "reason": "Broken brake reported"}
    with sandbox_faults(refund="timeout_after"):
        pending = admin_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="slow-1")
    assert (pending.status_code, pending.json()["message"]["key"]) == (409, "payment_provider.pending")
    retried = admin_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="slow-1")
    assert code(retried) == 0 and retried.json()["data"]["amount"] == 4.0
    assert PaymentAttempt.objects.filter(operation="refund").count() == 1 == Refund.objects.count()
    replay = admin_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="slow-1")
    assert replay.json() == retried.json() and replay["Idempotent-Replayed"] == "true"


# --- CHECKs on money columns ---------------------------------------------------------------------------------------
def _refused(model, pk, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)


def test_money_columns_are_checked_by_the_database(every_record):
    from apps.trips.models import Trip
    from apps.trips.tests.factories import make_trip

    trip = make_trip()
    Trip.objects.filter(pk=trip.pk).update(amount=Decimal(5), discount_amount=Decimal(2),
                                           organization_amount=Decimal(3))
    _refused(Trip, trip.pk, discount_amount=Decimal("5.01"))
    _refused(Trip, trip.pk, organization_amount=Decimal("3.01"))
    _refused(Trip, trip.pk, organization_amount=Decimal(-1))
    offered = make_pass()
    user_pass = UserPass.objects.create(rider=make_member(offered.network), pass_bought=offered, price_paid=1,
                                        remaining_seconds=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserPass.objects.create(rider=user_pass.rider, pass_bought=offered, price_paid=-1, remaining_seconds=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        BankGuarantee.objects.create(rider=user_pass.rider, payment_method=make_payment_method(user_pass.rider),
                                     currency=eur(), amount=0, provider_reference="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        WalletEntry.objects.create(wallet=every_record[WalletEntry].wallet, kind="credit", amount=0)
