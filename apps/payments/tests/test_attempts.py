"""Payment attempts (issue 33): the provider call between two commits, a crash at each step (an exception, then a
killed worker), reconciliation, holds with capture and release, and the same key never paying twice."""
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connections, transaction

from apps.core.testing.concurrency import at_once
from apps.networks.tests.factories import make_network
from apps.payments import attempts, services
from apps.payments.models import BankGuarantee, Invoice, PaymentAttempt, SandboxRecord, Transaction
from apps.payments.providers import LocalSandboxProvider, sandbox_faults
from apps.riders.tests.factories import make_member, make_payment_method

NOW = timedelta(0)


class Crash(Exception):
    """Stands for anything that stops a request between two of its steps."""


@pytest.fixture(autouse=True)
def _no_leftover_faults():
    LocalSandboxProvider.clear_faults()
    yield
    LocalSandboxProvider.clear_faults()


def payer(network=None):
    network = network or make_network()
    rider = make_member(network)
    return network, rider, make_payment_method(rider, is_default=True)


def charge(network, rider, method, key="order-1", amount="7.50"):
    return services.payment_charge(rider=rider, network=network, kind=Transaction.Kind.WALLET_TOP_UP,
                                   amount_w_vat=Decimal(amount), product_title="Credits", method=method, key=key)


def charges_at_provider(key) -> int:
    return SandboxRecord.objects.filter(key=key, status="succeeded").count()


def assert_settled_once(key, *, paid: bool):
    """After reconciliation: settled, one provider charge at most, and a row here exactly when one there."""
    attempt = PaymentAttempt.objects.get(key=key)
    assert attempt.status != PaymentAttempt.Status.PENDING and attempt.settled_at is not None
    assert charges_at_provider(key) == int(paid)
    paid_rows = Transaction.objects.filter(attempts=attempt, status="paid")
    assert paid_rows.count() == int(paid)
    if paid:
        assert Invoice.objects.filter(transaction=paid_rows.get(), kind="invoice").count() == 1
    return attempt


# --- each step, crashed by an exception ------------------------------------------------------------------------
def test_a_charge_commits_its_attempt_before_the_call_and_settles_after_it(db):
    network, rider, method = payer()
    payment = charge(network, rider, method)
    attempt = PaymentAttempt.objects.get(key="order-1")
    assert payment.status == "paid" and payment.amount_w_vat == Decimal("7.50")
    assert (attempt.status, attempt.transaction, attempt.tries) == ("succeeded", payment, 1)
    assert payment.provider_reference == SandboxRecord.objects.get(key="order-1").reference
    assert charge(network, rider, method) == payment  # the same key again: the same payment, no second call
    assert PaymentAttempt.objects.get(key="order-1").tries == 1 and charges_at_provider("order-1") == 1


def test_a_crash_before_the_call_leaves_a_pending_attempt_that_reconciliation_voids(db, monkeypatch):
    network, rider, method = payer()
    monkeypatch.setattr(attempts, "_call_provider", lambda attempt: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        charge(network, rider, method)
    assert PaymentAttempt.objects.get(key="order-1").status == "pending"
    monkeypatch.undo()
    assert attempts.reconcile_pending(older_than=NOW) == {"succeeded": 0, "declined": 0, "voided": 1}
    assert_settled_once("order-1", paid=False)
    assert not Transaction.objects.exists()


def test_an_answer_lost_after_the_provider_charged_is_recorded_by_reconciliation(db):
    network, rider, method = payer()
    with sandbox_faults(charge="timeout_after"), pytest.raises(attempts.PaymentPending):
        charge(network, rider, method)
    assert charges_at_provider("order-1") == 1 and not Transaction.objects.exists()  # charged there, not yet here
    assert attempts.reconcile_pending(older_than=timedelta(minutes=5))["succeeded"] == 0  # too young to ask
    assert attempts.reconcile_pending(older_than=NOW)["succeeded"] == 1
    assert_settled_once("order-1", paid=True)
    assert attempts.reconcile_pending(older_than=NOW) == {"succeeded": 0, "declined": 0, "voided": 0}


def test_a_retry_of_a_lost_answer_joins_the_attempt_and_pays_once(db):
    network, rider, method = payer()
    with sandbox_faults(charge="timeout_after"), pytest.raises(attempts.PaymentPending):
        charge(network, rider, method)
    payment = charge(network, rider, method)  # the client's retry, same key
    assert payment.status == "paid" and PaymentAttempt.objects.get(key="order-1").tries == 2
    assert_settled_once("order-1", paid=True)


def test_a_call_that_hung_without_acting_is_voided(db):
    network, rider, method = payer()
    with sandbox_faults(charge="timeout_before"), pytest.raises(attempts.PaymentPending):
        charge(network, rider, method)
    assert attempts.reconcile_pending(older_than=NOW)["voided"] == 1
    assert_settled_once("order-1", paid=False)


def test_a_crash_inside_the_settling_transaction_rolls_it_back_and_reconciliation_settles(db, monkeypatch):
    network, rider, method = payer()
    monkeypatch.setattr(services, "invoice_issue", lambda **kw: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        charge(network, rider, method)
    assert PaymentAttempt.objects.get(key="order-1").status == "pending" and not Transaction.objects.exists()
    assert charges_at_provider("order-1") == 1
    monkeypatch.undo()
    attempts.reconcile_pending(older_than=NOW)
    assert_settled_once("order-1", paid=True)


def test_an_unreachable_provider_voids_the_attempt_at_once_and_nothing_is_charged(db):
    network, rider, method = payer()
    with sandbox_faults(charge="unavailable"), pytest.raises(Exception) as refused:
        charge(network, rider, method)
    assert refused.value.key == "payment_provider.unavailable"
    assert_settled_once("order-1", paid=False)
    assert PaymentAttempt.objects.get(key="order-1").status == "voided"


def test_a_decline_is_recorded_without_invoice(db):
    network, rider, method = payer()
    with sandbox_faults(charge="decline"):
        payment = charge(network, rider, method)
    assert payment.status == "declined" and payment.payment_provider_fee == 0 and not payment.invoices.exists()
    assert PaymentAttempt.objects.get(key="order-1").status == "declined"


def test_settling_twice_records_once(db):
    network, rider, method = payer()
    with sandbox_faults(charge="timeout_after"), pytest.raises(attempts.PaymentPending):
        charge(network, rider, method)
    attempt = PaymentAttempt.objects.get(key="order-1")
    outcome = LocalSandboxProvider().lookup(idempotency_key="order-1")
    attempts.settle(attempt, outcome)
    attempts.settle(attempt, outcome)
    assert Transaction.objects.count() == 1 and Invoice.objects.count() == 1


def test_the_provider_is_never_called_inside_a_transaction(db):
    network, rider, method = payer()
    with pytest.raises(RuntimeError, match="inside a database transaction"), transaction.atomic():
        charge(network, rider, method)
    assert not SandboxRecord.objects.filter(key="order-1").exists()


def test_charges_without_a_key_get_one_drawn_once_per_attempt(db):
    network, rider, method = payer()
    services.payment_charge(rider=rider, network=network, kind="pass", amount_w_vat=Decimal(3), product_title="P",
                            method=method)
    attempt = PaymentAttempt.objects.get()
    assert attempt.key.startswith(f"pass-{rider.pk}-") and SandboxRecord.objects.filter(key=attempt.key).exists()


# --- holds: authorize, capture, release ---------------------------------------------------------------------------
def hold(amount="10"):
    network, rider, method = payer()
    return services.guarantee_hold(rider=rider, network=network, method=method, amount=Decimal(amount),
                                   key=f"hold-{rider.pk}")


def test_a_hold_is_captured_in_part_and_the_capture_is_a_payment_with_its_invoice(db):
    guarantee = hold()
    assert guarantee.amount == Decimal("10.00") and guarantee.released_at is None
    payment = services.guarantee_capture(guarantee=guarantee, amount=Decimal("3.20"), kind="trip",
                                         product_title="Trip")
    assert payment.status == "paid" and payment.amount_w_vat == Decimal("3.20") and payment.invoices.count() == 1
    guarantee.refresh_from_db()
    assert guarantee.released_at is not None
    assert services.guarantee_capture(guarantee=guarantee, amount=Decimal("3.20"), kind="trip",
                                      product_title="Trip") == payment  # a retried capture: the same payment
    with pytest.raises(Exception) as refused:
        services.guarantee_release(guarantee=guarantee)
    assert refused.value.key == "guarantee.settled"


def test_a_capture_above_the_hold_is_refused(db):
    guarantee = hold()
    with pytest.raises(Exception) as refused:
        services.guarantee_capture(guarantee=guarantee, amount=Decimal("10.01"), kind="trip", product_title="Trip")
    assert refused.value.fields == {"amount": [refused.value.fields["amount"][0]]}
    assert not PaymentAttempt.objects.filter(operation="capture").exists()


def test_a_declined_capture_leaves_a_debt_and_the_hold_can_then_be_released(db):
    guarantee = hold()
    with sandbox_faults(capture="decline"):
        debt = services.guarantee_capture(guarantee=guarantee, amount=Decimal("4"), kind="trip", product_title="T")
    assert debt.status == "declined" and debt.amount_w_vat == Decimal("4.00") and not debt.invoices.exists()
    released = services.guarantee_release(guarantee=guarantee)
    assert released.released_at is not None
    assert list(PaymentAttempt.objects.filter(guarantee=guarantee).order_by("id").values_list(
        "operation", "status")) == [("authorize", "succeeded"), ("capture", "declined"), ("release", "succeeded")]


def test_a_declined_hold_holds_nothing(db):
    network, rider, method = payer()
    with sandbox_faults(authorize="decline"):
        assert services.guarantee_hold(rider=rider, network=network, method=method, amount=Decimal(5)) is None
    assert not BankGuarantee.objects.exists()


def test_a_lost_capture_answer_is_reconciled_into_the_payment_and_the_hold_ends(db):
    guarantee = hold()
    with sandbox_faults(capture="timeout_after"), pytest.raises(attempts.PaymentPending):
        services.guarantee_capture(guarantee=guarantee, amount=Decimal("2"), kind="trip", product_title="T")
    with pytest.raises(Exception) as refused:  # a release meanwhile would give back what may be taken
        services.guarantee_release(guarantee=guarantee)
    assert refused.value.key == "guarantee.settled"
    attempts.reconcile_pending(older_than=NOW)
    guarantee.refresh_from_db()
    assert guarantee.released_at is not None and Transaction.objects.get().status == "paid"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_capture_racing_a_release_ends_with_one_winner():
    guarantee = hold()

    def capture():
        try:
            return services.guarantee_capture(guarantee=guarantee, amount=Decimal("5"), kind="trip",
                                              product_title="T").status
        except Exception as exc:
            return exc.key

    def release():
        try:
            return "released" if services.guarantee_release(guarantee=guarantee).released_at else "?"
        except Exception as exc:
            return exc.key

    for _ in range(3):
        results = sorted(at_once(capture, release))
        assert results.count("guarantee.settled") == 1, results
        guarantee = hold()
    assert SandboxRecord.objects.filter(step__in=["capture", "release"]).count() == 3


# --- refunds --------------------------------------------------------------------------------------------------
def test_a_pending_refund_counts_as_refunded_until_it_settles(db):
    network, rider, method = payer()
    payment = charge(network, rider, method, amount="10")
    with sandbox_faults(refund="timeout_after"), pytest.raises(attempts.PaymentPending):
        services.transaction_refund(payment=payment, amount=Decimal(6), reason="Broken brake", actor=None)
    with pytest.raises(Exception) as refused:
        services.transaction_refund(payment=payment, amount=Decimal(5), reason="Broken brake", actor=None)
    assert "amount" in refused.value.fields
    attempts.reconcile_pending(older_than=NOW)
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("6.00") and payment.refunds.count() == 1
    assert Invoice.objects.filter(kind="credit_note", transaction=payment).count() == 1


def test_a_declined_refund_is_refused_and_gives_the_amount_back(db):
    network, rider, method = payer()
    payment = charge(network, rider, method, amount="10")
    with sandbox_faults(refund="decline"), pytest.raises(Exception) as refused:
        services.transaction_refund(payment=payment, amount=Decimal(10), reason="Broken brake", actor=None)
    assert refused.value.key == "refund.declined"
    assert services.transaction_refund(payment=payment, amount=Decimal(10), reason="Broken brake",
                                       actor=None).amount == Decimal("10.00")


# --- gapless invoices when settling crashes ---------------------------------------------------------------------
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_invoice_numbers_have_no_gap_under_concurrent_payments_some_crashing_while_settling(monkeypatch):
    network = make_network()
    payers = [payer(network) for _ in range(12)]
    crashing = {rider.pk for _, rider, _ in payers[::3]}
    real_issue = services.invoice_issue

    def issue(*, transaction, refund=None):
        if transaction.rider_id in crashing:
            raise Crash()
        return real_issue(transaction=transaction, refund=refund)

    monkeypatch.setattr(services, "invoice_issue", issue)

    def pay(index):
        def run():
            _, rider, method = payers[index]
            try:
                charge(network, rider, method, key=f"order-{index}", amount="3")
            except Crash:
                return "crashed"
            return "paid"
        return run

    results = at_once(*[pay(i) for i in range(12)])
    assert results.count("paid") == 8
    numbers = sorted(Invoice.objects.filter(app_label=network.app_label).values_list("number", flat=True))
    assert numbers == list(range(1, 9))
    monkeypatch.undo()
    assert attempts.reconcile_pending(older_than=NOW)["succeeded"] == 4
    numbers = sorted(Invoice.objects.filter(app_label=network.app_label).values_list("number", flat=True))
    assert numbers == list(range(1, 13))
    assert SandboxRecord.objects.filter(status="succeeded").count() == Transaction.objects.count() == 12


# --- a killed worker at each step -------------------------------------------------------------------------------
def _run_killed(step_patch, key):
    """Run a charge in a forked process that dies (os._exit: no exception handler, no rollback, no clean-up) at the
    step `step_patch` installs; the parent waits for it."""
    network, rider, method = payer()
    connections.close_all()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            step_patch()
            charge(network, rider, method, key=key)
        finally:
            os._exit(137)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 137


def _die():
    os._exit(137)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("step", ["before the call", "after the provider charged", "while settling"])
def test_a_worker_killed_at_each_step_leaves_nothing_that_reconciliation_cannot_settle(step):
    call = attempts._call_provider

    def patch():
        if step == "before the call":
            attempts._call_provider = lambda attempt: _die()
        elif step == "after the provider charged":
            attempts._call_provider = lambda attempt: (call(attempt), _die())
        else:
            services.invoice_issue = lambda **kw: _die()

    _run_killed(patch, key=f"killed-{step}")
    attempt = PaymentAttempt.objects.get(key=f"killed-{step}")
    assert attempt.status == "pending" and not Transaction.objects.exists()
    charged = step != "before the call"
    assert charges_at_provider(attempt.key) == int(charged)
    # Its lease (held by the dead worker) must lapse first: reconciliation never runs beside a live call.
    PaymentAttempt.objects.filter(pk=attempt.pk).update(leased_until=None)
    attempts.reconcile_pending(older_than=NOW)
    assert_settled_once(attempt.key, paid=charged)
