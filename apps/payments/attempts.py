"""Payment attempts: every call to the payment provider sits between two commits (docs/commerce.md, "Payment
attempts", as Stripe documents PaymentIntents).

1. `open_attempt`: the attempt is committed as `pending`, with the provider's idempotency key derived from what is
   paid (a trip's capture, a refund's request): the same key on every retry of the same thing.
2. `drive`: whoever holds the attempt's lease calls the provider with that key. Nothing is locked in the database
   meanwhile; a concurrent request for the same attempt waits for the lease holder's answer.
3. `settle`: one transaction, the attempt's row locked, records what the provider said (the payment and its
   invoice, the hold, the refund and its credit note) and marks the attempt `succeeded`, `declined` or `voided`. An
   attempt already settled is left as it is, so settling twice records nothing twice.

A crash anywhere leaves either no attempt (nothing was asked of the provider) or a pending one, which
`reconcile_pending` (a beat task) settles from the provider's `lookup(key)`: done there means recorded here,
nothing there means voided. So there is never a charge without a row, and never two charges for one key.
"""
from __future__ import annotations

import contextlib
import threading
import time
from datetime import timedelta
from decimal import Decimal
from typing import Callable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.core.create_once import create_once
from apps.core.exceptions import ApiError, BusinessRuleViolation, ErrorCode

from . import services  # services.invoice_issue looked up when called: the tests' crash stands in for it
from .models import BankGuarantee, PaymentAttempt, Refund, Transaction
from .providers import (LookupResult, PaymentDeclined, PaymentProviderTimeout, PaymentProviderUnavailable,
                        get_payment_provider)

Status, Operation = PaymentAttempt.Status, PaymentAttempt.Operation


class PaymentPending(ApiError):
    """The provider has not answered yet; reconciliation settles the attempt. A retry with the same
    Idempotency-Key joins the same attempt (it never pays twice)."""

    code, http_status, key = ErrorCode.BUSINESS_RULE, 409, "payment_provider.pending"
    text = "The payment provider has not answered yet; it is settled as soon as it does. Retry with the same key."


def provider_unavailable(attempt: PaymentAttempt) -> BusinessRuleViolation:
    return BusinessRuleViolation("payment_provider.unavailable",
                                 f"The payment provider could not be reached; nothing was charged. Try again later "
                                 f"({attempt.message}).")


# --- no provider call inside a transaction --------------------------------------------------------------------
_allowed = threading.local()


def ensure_outside_transaction() -> None:
    """A provider call inside a transaction would be undone here and not there by a rollback. Tests run inside the
    test case's own transaction, which is not the code's: only blocks opened by the code count."""
    if getattr(_allowed, "depth", 0):
        return
    if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        raise RuntimeError("A payment provider is called inside a database transaction; call it between commits "
                           "(apps.payments.attempts).")


@contextlib.contextmanager
def provider_calls_in_transaction():
    """For the demo loader only, whose one transaction holds all its data and whose provider is the local sandbox
    (it moves no money)."""
    if settings.PAYMENT_PROVIDER != "local":
        raise RuntimeError("Only the local sandbox may be called inside a transaction.")
    _allowed.depth = getattr(_allowed, "depth", 0) + 1
    try:
        yield
    finally:
        _allowed.depth -= 1


# --- what settles with a charge ---------------------------------------------------------------------------------
_SETTLED: dict[str, Callable[[PaymentAttempt, Transaction], None]] = {}
_TRIP_PAYMENT_SETTLED: list[Callable[[PaymentAttempt], None]] = []


def on_trip_payment_settled(func):
    """Register what a trip's charge or capture records when it settles, paid or declined, in the same transaction
    (the trips: the trip paid, or a debt). Registered at app loading, for the worker's reconciliation too."""
    if func not in _TRIP_PAYMENT_SETTLED:
        _TRIP_PAYMENT_SETTLED.append(func)
    return func


_TRIP_HOLD_SETTLED: list[Callable[[PaymentAttempt], None]] = []


def on_trip_hold_settled(func):
    """Register what a trip's hold records when the provider confirms it, in the same transaction (the trips: a hold
    confirmed late, for a trip that was cancelled meanwhile, is given back)."""
    if func not in _TRIP_HOLD_SETTLED:
        _TRIP_HOLD_SETTLED.append(func)
    return func


def on_charge_settled(purpose: str):
    """Register what a successful charge of `purpose` records in the same transaction (commerce: the credits of an
    offer bought). Registered at app loading, so reconciliation in the worker settles it the same way."""

    def register(func):
        _SETTLED[purpose] = func
        return func
    return register


# --- 1. open ---------------------------------------------------------------------------------------------------
def open_attempt(*, key: str, new: bool = False, **fields) -> PaymentAttempt:
    """The attempt under `key`, created pending and committed if new (call inside the caller's transaction that
    locks what the attempt reserves, or alone). A new attempt is created leased to its creator, who drives it next:
    its first try needs no lease of its own (a round trip and a commit saved); a crash before the call leaves the
    lease to lapse, as a crash during it does. `new`: the caller's lock names the key, which no attempt has yet
    (a hold's capture or release numbered under the hold's lock): it is only inserted."""
    now = timezone.now()
    fields = {**fields, "occurred_at": fields.get("occurred_at") or now, "provider": settings.PAYMENT_PROVIDER,
              "leased_until": now + timedelta(seconds=_lease_seconds()), "tries": 1}
    if new:
        attempt, created = PaymentAttempt.objects.create(key=key, **fields), True
    else:
        attempt, created = create_once(PaymentAttempt, key={"key": key}, fields=fields)
    attempt.leased_here = created
    return attempt


# --- 2. drive --------------------------------------------------------------------------------------------------
def _lease_seconds() -> float:
    return settings.PAYMENT_PROVIDER_TIMEOUT + 5


def _take_lease(attempt_id: int) -> bool:
    now = timezone.now()
    return PaymentAttempt.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now), pk=attempt_id, status=Status.PENDING,
    ).update(leased_until=now + timedelta(seconds=_lease_seconds()), tries=F("tries") + 1) == 1


def _free_lease(attempt: PaymentAttempt) -> None:
    PaymentAttempt.objects.filter(pk=attempt.pk, status=Status.PENDING).update(leased_until=None)


def _call_provider(attempt: PaymentAttempt) -> LookupResult | None:
    """The provider's answer as an outcome; None when it is unknown (no answer in time)."""
    provider, key = get_payment_provider(), attempt.key
    method = attempt.method
    try:
        if attempt.operation == Operation.CHARGE:
            done = provider.charge(provider_reference=method.provider_reference, method_type=method.method_type,
                                   amount=attempt.amount, currency=attempt.currency_id, idempotency_key=key)
        elif attempt.operation == Operation.AUTHORIZE:
            done = provider.authorize(provider_reference=method.provider_reference, method_type=method.method_type,
                                      amount=attempt.amount, currency=attempt.currency_id, idempotency_key=key)
        elif attempt.operation == Operation.CAPTURE:
            done = provider.capture(authorization_reference=attempt.parent.provider_reference,
                                    method_type=method.method_type, amount=attempt.amount,
                                    currency=attempt.currency_id, idempotency_key=key)
        elif attempt.operation == Operation.RELEASE:
            done = provider.release(authorization_reference=attempt.parent.provider_reference, idempotency_key=key)
        else:
            done = provider.refund(capture_reference=attempt.transaction.provider_reference, amount=attempt.amount,
                                   currency=attempt.currency_id, idempotency_key=key)
    except PaymentDeclined as exc:
        return LookupResult("declined", message=str(exc)[:500])
    except PaymentProviderUnavailable as exc:
        return LookupResult("voided", message=str(exc)[:500])
    except PaymentProviderTimeout:
        return None
    return LookupResult("succeeded", done.reference, done.fee)


def drive(attempt: PaymentAttempt) -> PaymentAttempt:
    """Call the provider for a pending attempt and settle it; the attempt as it stands after (still pending when
    the provider's answer is unknown). A concurrent caller of the same attempt waits for the lease holder."""
    ensure_outside_transaction()
    deadline = time.monotonic() + _lease_seconds()
    while True:
        if getattr(attempt, "leased_here", False) or _take_lease(attempt.pk):
            if not getattr(attempt, "leased_here", False):  # as the holder before us left it
                attempt = PaymentAttempt.objects.select_related("method", "parent", "transaction").get(pk=attempt.pk)
            attempt.leased_here = False  # one try per lease
            try:
                outcome = _call_provider(attempt)
                if outcome is not None:
                    return settle(attempt, outcome)
            except BaseException:
                _free_lease(attempt)  # a crash we see gives the attempt to the next retry or reconciliation at once
                raise
            _free_lease(attempt)  # unknown: a retry or reconciliation will ask the provider
            return PaymentAttempt.objects.get(pk=attempt.pk)
        attempt = PaymentAttempt.objects.get(pk=attempt.pk)
        if attempt.status != Status.PENDING or time.monotonic() > deadline:
            return attempt
        time.sleep(0.02)


# --- 3. settle -------------------------------------------------------------------------------------------------
@transaction.atomic
def settle(attempt: PaymentAttempt, outcome: LookupResult) -> PaymentAttempt:
    """Record the provider's outcome (`succeeded`, `declined` or `voided`) once."""
    attempt = (PaymentAttempt.objects.select_for_update(of=("self",))
               .select_related("network__app_label", "currency", "method", "parent", "transaction").get(pk=attempt.pk))
    if attempt.status != Status.PENDING:
        return attempt
    attempt.status = outcome.status
    attempt.message = outcome.message[:500]
    attempt.provider_reference = outcome.reference or ""
    if outcome.status == Status.SUCCEEDED:
        _RECORD_SUCCESS[attempt.operation](attempt, outcome)
    elif outcome.status == Status.DECLINED and attempt.operation in (Operation.CHARGE, Operation.CAPTURE):
        # A declined payment is recorded (no invoice, no fee): a declined trip capture is the rider's debt.
        attempt.transaction = _record_payment(attempt, Transaction.Status.DECLINED, fee=Decimal(0))
    attempt.settled_at, attempt.leased_until = timezone.now(), None
    attempt.save()
    if attempt.trip_id and attempt.operation in (Operation.CHARGE, Operation.CAPTURE) and attempt.status in (
            Status.SUCCEEDED, Status.DECLINED):
        for listener in _TRIP_PAYMENT_SETTLED:
            listener(attempt)
    if attempt.trip_id and attempt.operation == Operation.AUTHORIZE and attempt.status == Status.SUCCEEDED:
        for listener in _TRIP_HOLD_SETTLED:
            listener(attempt)
    return attempt


def _record_payment(attempt: PaymentAttempt, status: str, *, fee: Decimal) -> Transaction:
    currency, vat_rate = attempt.currency, attempt.network.default_vat
    method = attempt.method
    payment = Transaction.objects.create(
        network=attempt.network, rider_id=attempt.rider_id, kind=attempt.kind, status=status,
        date=attempt.occurred_at, currency=currency, amount_w_vat=attempt.amount,
        amount=currency.quantize(attempt.amount / (1 + vat_rate)), vat_rate=vat_rate,
        product_title=attempt.product_title, payment_provider=method.provider if method else attempt.provider,
        payment_method_type=method.method_type if method else "", payment_provider_fee=fee,
        provider_reference=attempt.provider_reference, auto_payment=attempt.auto_payment, trip_id=attempt.trip_id)
    if status == Transaction.Status.PAID:
        services.invoice_issue(transaction=payment)
    return payment


def _charged(attempt: PaymentAttempt, outcome: LookupResult) -> None:
    attempt.transaction = _record_payment(attempt, Transaction.Status.PAID, fee=outcome.fee)
    if attempt.operation == Operation.CAPTURE and attempt.guarantee_id:
        BankGuarantee.objects.filter(pk=attempt.guarantee_id, released_at__isnull=True).update(
            released_at=timezone.now(), updated_at=timezone.now())
    if attempt.purpose:
        _SETTLED[attempt.purpose](attempt, attempt.transaction)


def _held(attempt: PaymentAttempt, outcome: LookupResult) -> None:
    attempt.guarantee = BankGuarantee.objects.create(
        rider_id=attempt.rider_id, payment_method=attempt.method, currency=attempt.currency, amount=attempt.amount,
        provider_reference=outcome.reference, trip_id=attempt.trip_id)


def _released(attempt: PaymentAttempt, outcome: LookupResult) -> None:
    BankGuarantee.objects.filter(pk=attempt.guarantee_id, released_at__isnull=True).update(
        released_at=timezone.now(), updated_at=timezone.now())


def _refunded(attempt: PaymentAttempt, outcome: LookupResult) -> None:
    payment = Transaction.objects.select_for_update(of=("self",)).select_related("network__app_label", "currency").get(
        pk=attempt.transaction_id)
    refund = Refund.objects.create(transaction=payment, amount=attempt.amount, reason=attempt.reason,
                                   refunded_by=attempt.actor, provider_reference=outcome.reference)
    payment.refunded_amount += attempt.amount
    payment.refund_date = refund.created_at
    payment.save(update_fields=["refunded_amount", "refund_date", "updated_at"])
    services.invoice_issue(transaction=payment, refund=refund)
    attempt.refund = refund


_RECORD_SUCCESS = {Operation.CHARGE: _charged, Operation.CAPTURE: _charged, Operation.AUTHORIZE: _held,
                   Operation.RELEASE: _released, Operation.REFUND: _refunded}


# --- reconciliation ----------------------------------------------------------------------------------------------
def reconcile_pending(*, older_than: timedelta | None = None, only: list[int] | None = None,
                      limit: int = 500) -> dict[str, int]:
    """Settle the attempts still pending after `older_than` (PAYMENT_RECONCILE_AFTER seconds), or the pending ones
    of `only` whatever their age, from what the provider says it did under their keys: done there is recorded here;
    nothing there is voided. An attempt whose provider call is under way holds its lease and is skipped; one whose
    call has not started yet is voided, and its request then finds it voided and calls nobody. Returns how many
    ended in each status."""
    ensure_outside_transaction()
    pending = PaymentAttempt.objects.filter(status=Status.PENDING)
    if only is not None:
        pending = pending.filter(pk__in=only)
    else:
        older_than = older_than if older_than is not None else timedelta(seconds=settings.PAYMENT_RECONCILE_AFTER)
        pending = pending.filter(created_at__lte=timezone.now() - older_than)
    ids = list(pending.order_by("id").values_list("pk", flat=True)[:limit])
    counts = {"succeeded": 0, "declined": 0, "voided": 0}
    for attempt_id in ids:
        if not _take_lease(attempt_id):
            continue  # a request is calling the provider for it right now
        attempt = PaymentAttempt.objects.get(pk=attempt_id)
        try:
            found = get_payment_provider().lookup(idempotency_key=attempt.key)
        except (PaymentProviderUnavailable, PaymentProviderTimeout):
            _free_lease(attempt)
            continue  # asked again at the next run
        outcome = found or LookupResult("voided", message="The provider has no record of this call.")
        counts[settle(attempt, outcome).status] += 1
    return counts
