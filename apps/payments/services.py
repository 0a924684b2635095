"""Money writes: saved payment methods, payments and refunds, invoices, wallets. Each runs in one database
transaction with the rows it changes locked (Saleor's way), so a failure leaves nothing half written and
concurrent requests are applied one after the other."""
from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed

from .models import Invoice, InvoiceSequence, PaymentMethod, Refund, Transaction, Wallet, WalletEntry
from .providers import PaymentDeclined, PaymentProviderUnavailable, get_payment_provider


@transaction.atomic
def payment_method_detach(*, method: PaymentMethod) -> PaymentMethod:
    """Detach the method at the provider and stop offering it; the newest remaining method becomes the default when
    the default is removed (the seed). The row stays: payments made with it still name it."""
    methods = list(PaymentMethod.objects.select_for_update().filter(rider_id=method.rider_id,
                                                                     detached_at__isnull=True).order_by("-created_at", "-id"))
    method = next((m for m in methods if m.pk == method.pk), None)
    if method is None:
        raise BusinessRuleViolation("payment_method.detached", "This payment method was already removed.")
    try:
        get_payment_provider().detach(provider_reference=method.provider_reference)
    except PaymentProviderUnavailable as exc:
        raise BusinessRuleViolation("payment_provider.unavailable",
                                    f"The payment provider could not remove it; try again later ({exc}).") from None
    was_default = method.is_default
    method.detached_at, method.is_default = timezone.now(), False
    method.save(update_fields=["detached_at", "is_default", "updated_at"])
    remaining = [m for m in methods if m.pk != method.pk]
    if was_default and remaining:
        remaining[0].is_default = True
        remaining[0].save(update_fields=["is_default", "updated_at"])
    return method


# --- invoices --------------------------------------------------------------------------------------------------
def _next_number(app_label, year: int) -> int:
    """The next invoice number of the label's year, from its sequence row locked until the transaction ends: a
    rollback gives the number back, so numbers have no gap and no duplicate."""
    table = InvoiceSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""INSERT INTO {table} (app_label_id, year, last_number) VALUES (%s, %s, 0)
                           ON CONFLICT (app_label_id, year) DO NOTHING""", [app_label.pk, year])
        cursor.execute(f"""UPDATE {table} SET last_number = last_number + 1 WHERE app_label_id = %s AND year = %s
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


# --- payments and refunds --------------------------------------------------------------------------------------
@transaction.atomic
def payment_record(*, rider, network, kind: str, amount_w_vat: Decimal, product_title: str, method: PaymentMethod,
                   auto_payment: bool = False, trip=None, date=None) -> Transaction:
    """Charge a rider's saved method through the provider and record the payment with its invoice. A decline is
    recorded too (status `declined`, no invoice, no fee) and returned: the caller decides what follows."""
    currency = network.currency
    with_vat = currency.quantize(Decimal(amount_w_vat))
    vat_rate = network.default_vat
    payment = Transaction(
        network=network, rider=rider, kind=kind, date=date or timezone.now(), currency=currency,
        amount_w_vat=with_vat, amount=currency.quantize(with_vat / (1 + vat_rate)), vat_rate=vat_rate,
        product_title=product_title[:100], payment_provider=method.provider, payment_method_type=method.method_type,
        auto_payment=auto_payment, trip=trip)
    try:
        capture = get_payment_provider().charge(
            provider_reference=method.provider_reference, method_type=method.method_type, amount=with_vat,
            currency=currency.code, idempotency_key=f"{rider.pk}-{kind}-{trip.pk if trip else uuid.uuid4()}")
    except PaymentDeclined:
        payment.status = Transaction.Status.DECLINED
        payment.save()
        return payment
    except PaymentProviderUnavailable as exc:
        raise BusinessRuleViolation("payment_provider.unavailable", str(exc)) from None
    payment.provider_reference, payment.payment_provider_fee = capture.reference, capture.fee
    payment.save()
    invoice_issue(transaction=payment)
    return payment


@transaction.atomic
def transaction_refund(*, payment: Transaction, amount, reason: str, actor) -> Refund:
    """Refund part or all of what is left refundable of a payment, through the provider, with a credit note. The
    payment row is locked: concurrent refunds are applied one after the other, never beyond its amount."""
    payment = Transaction.objects.select_for_update().select_related("currency", "network__app_label").get(
        pk=payment.pk)
    if payment.status != Transaction.Status.PAID:
        raise BusinessRuleViolation("transaction.not_paid", "Only a paid transaction can be refunded.")
    amount = payment.currency.quantize(Decimal(amount))
    if amount <= 0:
        raise ValidationFailed.on("amount", "Give an amount to refund, above zero.")
    if amount > payment.refundable:
        raise ValidationFailed.on("amount", f"Cannot be greater than what is left to refund ({payment.refundable} "
                                            f"{payment.currency_id}).")
    sequence = payment.refunds.count() + 1
    try:
        reference = get_payment_provider().refund(capture_reference=payment.provider_reference, amount=amount,
                                                  currency=payment.currency_id,
                                                  idempotency_key=f"refund-{payment.pk}-{sequence}")
    except PaymentProviderUnavailable as exc:
        raise BusinessRuleViolation("payment_provider.unavailable", str(exc)) from None
    refund = Refund.objects.create(transaction=payment, amount=amount, reason=reason, refunded_by=actor,
                                   provider_reference=reference)
    payment.refunded_amount += amount
    payment.refund_date = refund.created_at
    payment.save(update_fields=["refunded_amount", "refund_date", "updated_at"])
    invoice_issue(transaction=payment, refund=refund)
    return refund


# --- wallets (an append-only ledger) ----------------------------------------------------------------------------
def wallet_balance(wallet: Wallet) -> Decimal:
    return wallet.entries.aggregate(total=Coalesce(Sum("amount"), Decimal(0)))["total"]


def _open_wallet(rider, currency) -> Wallet:
    """The rider's open wallet in `currency`, created if needed, locked for the transaction."""
    table = Wallet._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""INSERT INTO {table} (rider_id, currency_id, created_at, updated_at)
                           VALUES (%s, %s, now(), now())
                           ON CONFLICT (rider_id, currency_id) WHERE closed_at IS NULL DO NOTHING""",
                       [rider.pk, currency.code])
    return Wallet.objects.select_for_update().get(rider=rider, currency=currency, closed_at__isnull=True)


@transaction.atomic
def wallet_credit(*, rider, amount, currency, reason: str, actor, kind: str = WalletEntry.Kind.CREDIT,
                  payment: Transaction | None = None) -> WalletEntry:
    amount = currency.quantize(Decimal(amount))
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
    if wallet is None or wallet_balance(wallet) < amount:
        raise BusinessRuleViolation("wallet.insufficient", "The wallet does not hold enough credits.")
    return WalletEntry.objects.create(wallet=wallet, kind=WalletEntry.Kind.CONSUMPTION, amount=-amount,
                                      reason=reason, transaction=payment)


@transaction.atomic
def wallet_close(*, wallet: Wallet, reason: str, actor) -> Wallet:
    """Empty the wallet with a closing entry and close it (deleteUserWallet): the history stays."""
    wallet = Wallet.objects.select_for_update().get(pk=wallet.pk)
    if wallet.closed_at is not None:
        raise NotFound("This wallet is already deleted.")
    balance = wallet_balance(wallet)
    if balance:
        WalletEntry.objects.create(wallet=wallet, kind=WalletEntry.Kind.CLOSING, amount=-balance, reason=reason,
                                   created_by=actor)
    wallet.closed_at = timezone.now()
    wallet.save(update_fields=["closed_at", "updated_at"])
    return wallet
