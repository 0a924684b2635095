"""Money under pressure (issue 13): concurrent refunds and retries, the wallet ledger's invariant, gapless invoice
numbers under concurrency with rollbacks, and the income statistics against Python over the rows."""
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.testing.clients import client_for
from apps.core.testing.concurrency import at_once
from apps.core.testing.contract import database_state
from apps.core.testing.responses import code, error_key, fields_of
from apps.networks.tests.factories import make_network
from apps.payments import rollups, services
from apps.payments.models import IncomeHour, Invoice, Refund, Transaction, Wallet, WalletEntry
from apps.reference.models import Currency
from apps.riders.tests.factories import make_member, make_payment_method

from .factories import make_payment, make_rate

API = "/api/dashboard/v1"


def eur():
    return Currency.objects.get(code="EUR")


def balance_of(wallet) -> Decimal:
    return services.wallet_balance(wallet=wallet)


# --- refunds ---------------------------------------------------------------------------------------------------
def test_a_refund_is_partial_bounded_and_issues_a_credit_note(admin_client):
    payment = make_payment(amount_w_vat="12.00")
    url = f"{API}/transactions/{payment.pk}/refund"
    first = admin_client.post(url, {"reason": "Vehicle broke down", "amount": 5}, format="json").json()
    assert first["code"] == 0 and first["data"]["amount"] == 5.0 and first["data"]["credit_note"].endswith("000002")
    before = database_state()
    too_much = admin_client.post(url, {"reason": "Vehicle broke down", "amount": 7.01}, format="json")
    assert code(too_much) == -2 and "amount" in fields_of(too_much)
    short = admin_client.post(url, {"reason": "short", "amount": 1}, format="json")
    assert code(short) == -2 and "reason" in fields_of(short)
    assert database_state() == before
    assert code(admin_client.post(url, {"reason": "The rest of it, sorry", "amount": 7}, format="json")) == 0
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("12.00") and payment.refundable == 0
    notes = Invoice.objects.filter(transaction=payment, kind="credit_note").order_by("number")
    assert [n.amount_w_vat for n in notes] == [Decimal("-5.00"), Decimal("-7.00")]
    listed = admin_client.get(f"{API}/transactions", {"networks": str(payment.network_id), "refunded": "true"})
    assert [t["id"] for t in listed.json()["data"]] == [payment.pk]


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(admin_client):
    payment = make_payment(amount_w_vat="10.00")
    url = f"{API}/transactions/{payment.pk}/refund"
    body = {"reason": "Double charge", "amount": 3}
    first = admin_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="refund-42")
    again = admin_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="refund-42")
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Refund.objects.count() == 1
    other = admin_client.post(url, {**body, "amount": 4}, format="json", HTTP_IDEMPOTENCY_KEY="refund-42")
    assert code(other) == -2 and "Idempotency-Key" in fields_of(other)
    assert Refund.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestConcurrentMoney:
    @pytest.fixture
    def root(self):
        return get_user_model().objects.create_superuser(email="money@example.com", password="x")

    def test_twenty_concurrent_refunds_never_refund_more_than_the_amount(self, root):
        payment = make_payment(amount_w_vat="10.00")
        url = f"{API}/transactions/{payment.pk}/refund"
        answers = at_once(*[lambda: client_for(root).post(url, {"reason": "Concurrent refund", "amount": 3},
                                                          format="json") for _ in range(20)])
        assert sorted(code(a) for a in answers).count(0) == 3  # 3 x 3.00 fit in 10.00, a fourth does not
        payment.refresh_from_db()
        assert payment.refunded_amount == Decimal("9.00") == sum(r.amount for r in payment.refunds.all())

    def test_twenty_concurrent_retries_with_one_key_refund_once(self, root):
        payment = make_payment(amount_w_vat="10.00")
        url = f"{API}/transactions/{payment.pk}/refund"
        answers = at_once(*[lambda: client_for(root).post(url, {"reason": "Retried refund", "amount": 2},
                                                          format="json", HTTP_IDEMPOTENCY_KEY="same-key")
                            for _ in range(20)])
        assert {code(a) for a in answers} == {0}
        assert len({a.content for a in answers}) == 1, [c.decode() for c in {a.content for a in answers}]
        assert Refund.objects.filter(transaction=payment).count() == 1

    def test_twenty_concurrent_retries_of_a_wallet_credit_credit_once(self, root):
        rider = make_member()
        url = f"{API}/users/{rider.pk}/wallets"
        body = {"amount": 7.5, "currency": "EUR", "reason": "Goodwill gesture"}
        answers = at_once(*[lambda: client_for(root).post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="credit-1")
                            for _ in range(20)])
        assert {code(a) for a in answers} == {0}
        assert WalletEntry.objects.filter(wallet__rider=rider).count() == 1
        assert balance_of(Wallet.objects.get(rider=rider)) == Decimal("7.50")


# --- wallets ---------------------------------------------------------------------------------------------------
MOVES = st.lists(st.tuples(st.sampled_from(["credit", "consume", "refund", "close"]),
                           st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50"), places=2)),
                 min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_a_wallet_is_the_sum_of_its_ledger_and_never_negative(db, moves):
    rider, currency = make_member(), eur()
    consumed = []
    for move, amount in moves:
        try:
            with transaction.atomic():
                if move == "credit":
                    services.wallet_credit(rider=rider, amount=amount, currency=currency, reason="Gift", actor=None)
                elif move == "consume":
                    consumed.append(services.wallet_consume(rider=rider, amount=amount, currency=currency,
                                                            reason="Trip"))
                elif move == "refund" and consumed:
                    entry = consumed.pop()
                    services.wallet_credit(rider=rider, amount=-entry.amount, currency=currency, reason="Refund",
                                           actor=None, kind=WalletEntry.Kind.REFUND)
                elif move == "close":
                    wallet = Wallet.objects.filter(rider=rider, closed_at__isnull=True).first()
                    if wallet is not None:
                        services.wallet_close(wallet=wallet, reason="Closed", actor=None)
        except Exception as exc:  # a refused consumption is the rule working
            assert getattr(exc, "key", None) == "wallet.insufficient", exc
        for wallet in Wallet.objects.filter(rider=rider):
            entries = list(WalletEntry.objects.filter(wallet=wallet).values_list("amount", flat=True))
            assert balance_of(wallet) == sum(entries, Decimal(0)) >= 0
            if wallet.closed_at is not None:
                assert balance_of(wallet) == 0


def test_deleting_a_wallet_empties_it_with_a_closing_entry(admin_client):
    rider = make_member()
    services.wallet_credit(rider=rider, amount=Decimal("8"), currency=eur(), reason="Gift", actor=None)
    wallet = rider.wallets.get()
    assert admin_client.get(f"{API}/users/{rider.pk}/wallets").json()["data"]["wallets"][0]["balance"] == 8.0
    assert code(admin_client.delete(f"{API}/users/{rider.pk}/wallets", QUERY_STRING=f"wallet={wallet.pk}&reason=Closed")) == 0
    assert balance_of(wallet) == 0 and list(wallet.entries.values_list("kind", flat=True)) == ["closing", "credit"]
    assert code(admin_client.delete(f"{API}/users/{rider.pk}/wallets", QUERY_STRING=f"wallet={wallet.pk}&reason=Again")) == -5


def test_a_credit_below_the_currencys_smallest_unit_is_refused_naming_the_amount(admin_client):
    from apps.core.testing.responses import fields_of

    rider = make_member()
    response = admin_client.post(f"{API}/users/{rider.pk}/wallets",
                                 {"amount": 0.004, "currency": "EUR", "reason": "A gift"}, format="json")
    assert code(response) == -2 and "amount" in fields_of(response), response.json()
    assert fields_of(response)["amount"] == [
        "Must be at least 0.01 EUR, the currency's smallest unit."]
    assert not rider.wallets.exists()


def test_the_wallet_sum_converts_each_currency_at_todays_rate(admin_client):
    rider = make_member()
    make_rate("USD", "1.10")
    services.wallet_credit(rider=rider, amount=Decimal("11"), currency=Currency.objects.get(code="USD"),
                           reason="Gift", actor=None)
    services.wallet_credit(rider=rider, amount=Decimal("5"), currency=eur(), reason="Gift", actor=None)
    assert admin_client.get(f"{API}/users/{rider.pk}/wallets/sum", {"currency": "EUR"}).json()["data"] == 15.0
    missing = admin_client.get(f"{API}/users/{rider.pk}/wallets/sum", {"currency": "GBP"})
    assert error_key(missing) == "exchange_rate.missing"


# --- income statistics -----------------------------------------------------------------------------------------
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize("storage", ["transactions", "stored hours", "refund after storing"])
def test_income_statistics_equal_python_over_the_rows_across_a_day_boundary_and_two_currencies(admin_client, storage,
                                                                                             settings):
    lyon = make_network(name="Lyon")
    boston = make_network(name="Boston", currency=Currency.objects.get(code="USD"), timezone="America/New_York")
    for day, rate in (("2026-03-09", "1.08"), ("2026-03-10", "1.10"), ("2026-03-11", "1.12")):
        make_rate("USD", rate, datetime.fromisoformat(day).date())
    make_rate("GBP", "0.85", datetime(2026, 3, 1).date())
    moments = [datetime(2026, 3, 9, 22, 30, tzinfo=ZoneInfo("UTC")),  # 23:30 in Paris: the 9th
               datetime(2026, 3, 9, 23, 30, tzinfo=ZoneInfo("UTC")),  # 00:30 in Paris: the 10th
               datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("UTC")),
               datetime(2026, 3, 11, 8, 0, tzinfo=ZoneInfo("UTC"))]
    payments = []
    for n, moment in enumerate(moments):
        for network, amount, kind in ((lyon, "12.00", "trip"), (boston, "20.00", "pass")):
            payments.append(make_payment(network=network, amount_w_vat=str(Decimal(amount) + n), kind=kind,
                                         date=moment))
    if storage == "stored hours":
        services.transaction_refund(payment=payments[0], amount=Decimal("2"), reason="Late", actor=None)
    if storage != "transactions":
        for network in (lyon, boston):
            assert rollups.fill(network) > 0
        assert IncomeHour.objects.exists()
    if storage != "stored hours":
        services.transaction_refund(payment=payments[0], amount=Decimal("2"), reason="Late", actor=None)
    declined_method = make_payment_method(make_member(lyon), provider_reference="decline_me", is_default=True)
    services.payment_charge(rider=declined_method.rider, network=lyon, kind="trip", amount_w_vat=Decimal("99"),
                            product_title="Trip", method=declined_method, date=moments[2])

    def expected(target: str):
        by_day, by_kind = defaultdict(lambda: defaultdict(Decimal)), defaultdict(lambda: defaultdict(Decimal))
        rates = {("USD", "2026-03-09"): Decimal("1.08"), ("USD", "2026-03-10"): Decimal("1.10"),
                 ("USD", "2026-03-11"): Decimal("1.12")}
        for payment in Transaction.objects.filter(status="paid"):
            payment.refresh_from_db()
            day = payment.date.astimezone(PARIS).date().isoformat()
            to_eur = Decimal(1) if payment.currency_id == "EUR" else 1 / rates[(payment.currency_id, day)]
            factor = to_eur * (Decimal(1) if target == "EUR" else Decimal("0.85"))
            for name in ("amount_w_vat", "refunded_amount", "payment_provider_fee"):
                by_day[day][name] += getattr(payment, name) * factor
                by_kind[payment.kind][name] += getattr(payment, name) * factor
            by_day[day]["n"] += 1
        return by_day, by_kind

    for target in ("EUR", "GBP"):
        query = {"start_date": "2026-03-09", "end_date": "2026-03-11", "currency": target, "timezone": "Europe/Paris"}
        by_day, by_kind = expected(target)
        days = admin_client.get(f"{API}/income/days", query).json()["data"]
        assert [d["date"] for d in days] == ["2026-03-09", "2026-03-10", "2026-03-11"]
        for row in days:
            figures = by_day[row["date"]]
            assert row["transaction_count"] == figures["n"]
            assert Decimal(str(row["amount_w_vat"])) == figures["amount_w_vat"].quantize(Decimal("0.01"))
            assert Decimal(str(row["refunded_amount"])) == figures["refunded_amount"].quantize(Decimal("0.01"))
        summary = admin_client.get(f"{API}/income/summary", query).json()["data"]
        total = sum((f["amount_w_vat"] for f in by_day.values()), Decimal(0))
        assert Decimal(str(summary["amount_w_vat"])) == total.quantize(Decimal("0.01"))
        assert summary["transaction_count"] == 8 and summary["rates"]
        sources = admin_client.get(f"{API}/income/sources", query).json()["data"]["sources"]
        assert {s["source"]: Decimal(str(s["amount_w_vat"])) for s in sources} == {
            kind: f["amount_w_vat"].quantize(Decimal("0.01")) for kind, f in by_kind.items()}
        dow = admin_client.get(f"{API}/income/dow", query).json()["data"]
        assert [d["transaction_count"] for d in dow] == [2, 4, 2, 0, 0, 0, 0]  # Mon 9th, Tue 10th, Wed 11th (Paris)
    refused = admin_client.get(f"{API}/income/summary", {"start_date": "2026-03-11", "end_date": "2026-03-09",
                                                        "currency": "EUR", "timezone": "UTC"})
    assert code(refused) == -2 and "end_date" in fields_of(refused)


def test_the_list_total_is_kept_by_the_tally_and_counted_when_filtered(admin_client):
    network = make_network()
    payments = [make_payment(network=network, amount_w_vat=str(5 + n)) for n in range(4)]
    declined = make_payment_method(make_member(network), provider_reference="decline_x", is_default=True)
    services.payment_charge(rider=declined.rider, network=network, kind="trip", amount_w_vat=Decimal("9"),
                            product_title="Trip", method=declined)
    listed = admin_client.get(f"{API}/transactions", {"networks": str(network.pk)}).json()
    assert listed["total"] == 5 == Transaction.objects.filter(network=network).count()
    filtered = admin_client.get(f"{API}/transactions", {"networks": str(network.pk), "amount_w_vat_min": 7}).json()
    assert filtered["total"] == 3
    by_amount = admin_client.get(f"{API}/transactions", {"networks": str(network.pk), "sort_by": "amount_w_vat",
                                                         "sort_dir": "ASC"}).json()["data"]
    assert [t["amount_w_vat"] for t in by_amount] == [5.0, 6.0, 7.0, 8.0, 9.0]
    assert payments[0].invoices.get().reference.endswith("000001")
