"""Money writes: saved payment methods, payments, holds and refunds, invoices, wallets. Each database write runs in
one transaction with the rows it changes locked (Saleor's way), so a failure leaves nothing half written and
concurrent requests are applied one after the other. A call to the payment provider is never inside one: it sits
between the commit of its attempt and the commit of its outcome (apps.payments.attempts)."""
from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed

from . import attempts
from .models import (BankGuarantee, Invoice, InvoiceSequence, PaymentAttempt, PaymentMethod, Refund, Transaction,
                     Wallet, WalletEntry)
from .providers import PaymentProviderUnavailable, get_payment_provider


def payment_method_detach(*, method: PaymentMethod) -> PaymentMethod:
    """Detach the method at the provider and stop offering it; the newest remaining method becomes the default when
    the default is removed (the seed). The row stays: payments made with it still name it. The provider is called
    before the write's own transaction (detaching twice is no error there): a rollback here cannot leave a method
    offered that the provider removed without it being removed again on the next try."""
    attempts.ensure_outside_transaction()
    if not PaymentMethod.objects.filter(pk=method.pk, detached_at__isnull=True).exists():
        raise BusinessRuleViolation("payment_method.detached", "This payment method was already removed.")
    try:
        get_payment_provider().detach(provider_reference=method.provider_reference)
    except PaymentProviderUnavailable as exc:
        raise BusinessRuleViolation("payment_provider.unavailable",
                                    f"The payment provider could not remove it; try again later ({exc}).") from None
    return _mark_detached(method)


@transaction.atomic
def _mark_detached(method: PaymentMethod) -> PaymentMethod:
    methods = list(PaymentMethod.objects.select_for_update().filter(rider_id=method.rider_id,
                                                                     detached_at__isnull=True).order_by("-created_at", "-id"))
    method = next((m for m in methods if m.pk == method.pk), None)
    if method is None:
        raise BusinessRuleViolation("payment_method.detached", "This payment method was already removed.")
    was_default = method.is_default
    method.detached_at, method.is_default = timezone.now(), False
    method.save(update_fields=["detached_at", "is_default", "updated_at"])
    remaining = [m for m in methods if m.pk != method.pk]
    if was_default and remaining:
        remaining[0].is_default = True
        remaining[0].save(update_fields=["is_default", "updated_at"])
    return method


@transaction.atomic
def payment_method_make_default(*, method: PaymentMethod) -> PaymentMethod:
    """The rider's default method from now on (one default per rider: the other is unset first)."""
    methods = {m.pk: m for m in PaymentMethod.objects.select_for_update().filter(rider_id=method.rider_id,
                                                                                 detached_at__isnull=True)}
    if method.pk not in methods:
        raise BusinessRuleViolation("payment_method.detached", "This payment method was removed.")
    PaymentMethod.objects.filter(pk__in=methods, is_default=True).exclude(pk=method.pk).update(
        is_default=False, updated_at=timezone.now())
    PaymentMethod.objects.filter(pk=method.pk).update(is_default=True, updated_at=timezone.now())
    return PaymentMethod.objects.get(pk=method.pk)


# --- invoices --------------------------------------------------------------------------------------------------
def _next_number(app_label, year: int) -> int:
    """The next invoice number of the label's year, from its sequence row locked until the transaction ends: a
    rollback gives the number back, so numbers have no gap and no duplicate."""
    table = InvoiceSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""INSERT INTO {table} AS sequence (app_label_id, year, last_number) VALUES (%s, %s, 1)
                           ON CONFLICT (app_label_id, year) DO UPDATE SET last_number = sequence.last_number + 1
                           RETURNING last_number""", [app_label.pk, year])
        return cursor.fetchone()[0]


def invoice_issue(*, transaction: Transaction, refund: Refund | None = None) -> Invoice:
    """The invoice of a payment, or the credit note of a refund (negative amounts), numbered in the app label's
    series of the year."""
    app_label = transaction.network.app_label
    # Dated by what it records (the payment, or the refund); issued as that happens, so numbers follow dates.
    issued = refund.created_at if refund is not None else transaction.date
    number = _next_number(app_label, issued.year)
    if refund is None:
        kind, with_vat = Invoice.Kind.INVOICE, transaction.amount_w_vat
    else:
        kind, with_vat = Invoice.Kind.CREDIT_NOTE, -refund.amount
    without_vat = transaction.currency.quantize(with_vat / (1 + transaction.vat_rate))
    return Invoice.objects.create(
        app_label=app_label, year=issued.year, number=number, kind=kind, transaction=transaction, refund=refund,
        reference=f"{app_label.name.upper()}-{issued.year}-{number:06d}", amount=without_vat, amount_w_vat=with_vat,
        issued_at=issued)


# --- payments, holds and refunds (each a PaymentAttempt: apps.payments.attempts) -----------------------------------
Operation, AttemptStatus = PaymentAttempt.Operation, PaymentAttempt.Status


def _outcome(attempt: PaymentAttempt) -> PaymentAttempt:
    """The attempt once driven; the provider's silence or refusal as the API error it is."""
    attempt = attempts.drive(attempt) if attempt.status == AttemptStatus.PENDING else attempt
    if attempt.status == AttemptStatus.PENDING:
        raise attempts.PaymentPending()
    if attempt.status == AttemptStatus.VOIDED:
        raise attempts.provider_unavailable(attempt)
    return attempt


def request_key(*, idempotency) -> str | None:
    """What names one request for the provider: its Idempotency-Key's claim, which a retry of the same request finds
    again wherever the first one stopped (a key past its retention, or given back by an error, is a new claim)."""
    return None if idempotency is None else f"r{idempotency.pk}"


def payment_charge(*, rider, network, kind: str, amount_w_vat: Decimal, product_title: str, method: PaymentMethod,
                   auto_payment: bool = False, trip=None, date=None, key: str | None = None, purpose: str = "",
                   purpose_id: int | None = None) -> Transaction:
    """Charge a rider's saved method (authorize and capture at once) and record the payment with its invoice. A
    decline is recorded too (status `declined`, no invoice, no fee) and returned: the caller decides what follows.
    `key` names what is paid; a trip's charge is named by the trip, anything else by a key drawn once and
    committed before the provider is called, so every retry of the call carries the same one."""
    currency = network.currency
    if key is None and trip is not None:
        # A try after one the provider could not take (voided: nothing happened there) is a new attempt.
        voided = PaymentAttempt.objects.filter(trip=trip, operation=Operation.CHARGE,
                                               status=AttemptStatus.VOIDED).count()
        key = f"trip-{trip.pk}-charge" + (f"-{voided + 1}" if voided else "")
    elif key is None:
        key = f"{kind}-{rider.pk}-{uuid.uuid4().hex}"
    attempt = attempts.open_attempt(
        key=key, operation=Operation.CHARGE, network=network, rider=rider, currency=currency,
        amount=currency.quantize(Decimal(amount_w_vat)), method=method, kind=kind, product_title=product_title[:100],
        auto_payment=auto_payment, trip=trip, occurred_at=date, purpose=purpose, purpose_id=purpose_id)
    return _outcome(attempt).transaction


def guarantee_hold(*, rider, network, method: PaymentMethod, amount: Decimal, trip=None,
                   key: str | None = None) -> BankGuarantee | None:
    """Hold `amount` on the rider's method as a guarantee (a trip's pre-authorization). None when the bank
    declined the hold."""
    currency = network.currency
    key = key or (f"trip-{trip.pk}-hold" if trip is not None else f"hold-{rider.pk}-{uuid.uuid4().hex}")
    attempt = _outcome(attempts.open_attempt(
        key=key, operation=Operation.AUTHORIZE, network=network, rider=rider, currency=currency,
        amount=currency.quantize(Decimal(amount)), method=method, trip=trip))
    return attempt.guarantee if attempt.status == AttemptStatus.SUCCEEDED else None


def _open_on_hold(guarantee: BankGuarantee, operation: str, **fields) -> PaymentAttempt:
    """A capture or a release of a hold: one of them, once. The hold's row is locked while the attempt is opened,
    so a capture racing a release (or itself) finds the other's attempt and ends with its outcome."""
    with transaction.atomic():
        guarantee = BankGuarantee.objects.select_for_update().get(pk=guarantee.pk)
        # The hold's own attempt and what was tried on it since, in one read.
        of_hold = list(PaymentAttempt.objects.select_related("network", "method").filter(
            guarantee=guarantee, operation__in=[Operation.AUTHORIZE, Operation.CAPTURE, Operation.RELEASE])
            .order_by("pk"))
        earlier = [attempt for attempt in of_hold if attempt.operation != Operation.AUTHORIZE]
        settled_or_running = next((attempt for attempt in earlier
                                   if attempt.status in (AttemptStatus.PENDING, AttemptStatus.SUCCEEDED)), None)
        if settled_or_running is not None:
            if settled_or_running.operation != operation:
                raise BusinessRuleViolation("guarantee.settled",
                                            f"This guarantee is already being {settled_or_running.operation}d.")
            return settled_or_running
        if guarantee.released_at is not None:
            raise BusinessRuleViolation("guarantee.settled", "This guarantee is no longer held.")
        held = next((attempt for attempt in of_hold if attempt.operation == Operation.AUTHORIZE), None)
        if held is None:
            raise PaymentAttempt.DoesNotExist("This guarantee has no authorization attempt.")
        tries = sum(attempt.operation == operation for attempt in earlier)
        return attempts.open_attempt(
            key=f"{held.key}-{operation}-{tries + 1}", new=True, operation=operation, network=held.network,
            rider_id=guarantee.rider_id, currency_id=guarantee.currency_id, method=held.method, parent=held,
            guarantee=guarantee, trip_id=held.trip_id, **fields)


def guarantee_capture(*, guarantee: BankGuarantee, amount: Decimal, kind: str, product_title: str,
                      auto_payment: bool = True, date=None) -> Transaction:
    """Take `amount` (at most what is held) of a hold as a payment with its invoice; the rest is given back. A
    declined capture is recorded as a declined payment: the rider's debt."""
    amount = Decimal(amount)
    if amount <= 0 or amount > guarantee.amount:
        raise ValidationFailed.on("amount", f"A capture takes above zero and at most the {guarantee.amount} held.")
    attempt = _open_on_hold(guarantee, Operation.CAPTURE, amount=guarantee.currency.quantize(amount), kind=kind,
                            product_title=product_title[:100], auto_payment=auto_payment, occurred_at=date)
    return _outcome(attempt).transaction


def guarantee_release(*, guarantee: BankGuarantee) -> BankGuarantee:
    """Give a hold back whole (a trip that cost nothing, or an unlock that failed)."""
    _outcome(_open_on_hold(guarantee, Operation.RELEASE, amount=Decimal(0)))
    return BankGuarantee.objects.get(pk=guarantee.pk)


def transaction_refund(*, payment: Transaction, amount, reason: str, actor, idempotency=None) -> Refund:
    """Refund part or all of what is left refundable of a payment, through the provider, with a credit note. The
    payment row is locked while the attempt is opened, and pending refunds count as refunded: concurrent refunds
    never give back more than was paid. A retry with the request's Idempotency-Key joins its first attempt."""
    with transaction.atomic():
        payment = Transaction.objects.select_for_update(of=("self",)).select_related("currency").get(pk=payment.pk)
        if payment.status != Transaction.Status.PAID:
            raise BusinessRuleViolation("transaction.not_paid", "Only a paid transaction can be refunded.")
        amount = payment.currency.quantize(Decimal(amount))
        retried = request_key(idempotency=idempotency)
        refunds = PaymentAttempt.objects.filter(transaction=payment, operation=Operation.REFUND)
        attempt = refunds.filter(key=f"refund-{payment.pk}-{retried}").first() if retried else None
        if attempt is None:
            if amount <= 0:
                raise ValidationFailed.on("amount", "Give an amount to refund, above zero.")
            pending = refunds.filter(status=AttemptStatus.PENDING).aggregate(n=Coalesce(Sum("amount"), Decimal(0)))["n"]
            left = payment.refundable - pending
            if amount > left:
                raise ValidationFailed.on("amount", f"Cannot be greater than what is left to refund ({left} "
                                                    f"{payment.currency_id}).")
            attempt = attempts.open_attempt(
                key=f"refund-{payment.pk}-{retried or refunds.count() + 1}", operation=Operation.REFUND,
                network_id=payment.network_id, rider_id=payment.rider_id, currency=payment.currency, amount=amount,
                transaction=payment, reason=reason, actor=actor)
    attempt = _outcome(attempt)
    if attempt.status == AttemptStatus.DECLINED:
        raise BusinessRuleViolation("refund.declined", f"The payment provider refused the refund: {attempt.message}")
    return attempt.refund


# --- wallets (an append-only ledger) ----------------------------------------------------------------------------
def wallet_balance(*, wallet: Wallet) -> Decimal:
    return wallet.entries.aggregate(total=Coalesce(Sum("amount"), Decimal(0)))["total"]


def _open_wallet(rider, currency) -> Wallet:
    """The rider's open wallet in `currency`, created if needed, locked for the transaction. A wallet closed by a
    concurrent request between the insert and the lock is not an error: the credit comes after the closing, in a
    new wallet, as it would have one request later."""
    table = Wallet._meta.db_table
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute(f"""INSERT INTO {table} (rider_id, currency_id, created_at, updated_at)
                               VALUES (%s, %s, now(), now())
                               ON CONFLICT (rider_id, currency_id) WHERE closed_at IS NULL DO NOTHING""",
                           [rider.pk, currency.code])
        wallet = Wallet.objects.select_for_update().filter(rider=rider, currency=currency,
                                                           closed_at__isnull=True).first()
        if wallet is not None:
            return wallet
    raise BusinessRuleViolation("wallet.closing", "The wallet is being closed; try again.")


@transaction.atomic
def wallet_credit(*, rider, amount, currency, reason: str, actor, kind: str = WalletEntry.Kind.CREDIT,
                  payment: Transaction | None = None) -> WalletEntry:
    given, amount = Decimal(amount), currency.quantize(Decimal(amount))
    if given > 0 >= amount:
        smallest = Decimal(1).scaleb(-currency.minor_units)
        raise ValidationFailed.on("amount", f"Must be at least {smallest} {currency.code}, the currency's smallest unit.")
    if amount <= 0:
        raise ValidationFailed.on("amount", "A credit is above zero.")
    wallet = _open_wallet(rider, currency)
    return WalletEntry.objects.create(wallet=wallet, kind=kind, amount=amount, reason=reason, created_by=actor,
                                      transaction=payment)


@transaction.atomic
def wallet_consume(*, rider, amount, currency, reason: str, payment: Transaction | None = None) -> WalletEntry:
    """Take `amount` from the rider's wallet in `currency`; refused (-6 `wallet.insufficient`) when the balance is
    lower: a wallet never goes below zero."""
    amount = currency.quantize(Decimal(amount))
    if amount <= 0:
        raise ValidationFailed.on("amount", "A consumption is above zero.")
    wallet = Wallet.objects.select_for_update().filter(rider=rider, currency=currency, closed_at__isnull=True).first()
    if wallet is None or wallet_balance(wallet=wallet) < amount:
        raise BusinessRuleViolation("wallet.insufficient", "The wallet does not hold enough credits.")
    return WalletEntry.objects.create(wallet=wallet, kind=WalletEntry.Kind.CONSUMPTION, amount=-amount,
                                      reason=reason, transaction=payment)


@transaction.atomic
def wallet_close(*, wallet: Wallet, reason: str, actor) -> Wallet:
    """Empty the wallet with a closing entry and close it (deleteUserWallet): the history stays."""
    wallet = Wallet.objects.select_for_update().get(pk=wallet.pk)
    if wallet.closed_at is not None:
        raise NotFound("This wallet is already deleted.")
    balance = wallet_balance(wallet=wallet)
    if balance:
        WalletEntry.objects.create(wallet=wallet, kind=WalletEntry.Kind.CLOSING, amount=-balance, reason=reason,
                                   created_by=actor)
    wallet.closed_at = timezone.now()
    wallet.save(update_fields=["closed_at", "updated_at"])
    return wallet
