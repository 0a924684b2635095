"""Riders' subscriptions: each period paid ahead on the rider's card, renewed by a beat task, canceled at the end of the
period paid.

A period's charge is a payment attempt (apps.payments.attempts) named by the subscription, the period and the try
(`subscription-<id>-period-<n>-try-<k>`): a retried task or a double tap finds the same attempt and never pays a
period twice; a try after a decline is a new one. The attempt's settlement records the period (`_period_paid`, in
the settling transaction): so does a charge the provider answers late, when reconciliation settles it.
"""
from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import Refused, on_constraint
from apps.payments import services as payments
from apps.payments.attempts import PaymentPending, on_charge_settled
from apps.payments.models import PaymentAttempt, PaymentMethod, Transaction, WalletEntry

from .models import RiderSubscription, SubscriptionPrice

PERIOD_PAYMENT = "subscription_period"
RENEWAL_TRIES = 3  # declined renewals of one period before the subscription is canceled
Status = RiderSubscription.Status
OPEN = (Status.PENDING, Status.ACTIVE, Status.PAST_DUE)


def _already_subscribed() -> Refused:
    return Refused("err_AlreadySubscribed", "You already have this subscription.")


# Two subscribes at once both pass the check; the unique index keeps one, the other is told why.
on_constraint(_already_subscribed, name="one_open_subscription_per_rider")


def period_length(price: SubscriptionPrice) -> relativedelta:
    return relativedelta(**{f"{price.interval_type}s": price.interval_count})


def subscription_start(*, price: SubscriptionPrice, rider) -> RiderSubscription:
    """Subscribe the rider at `price`: the first period charged on his default card now. Refusals:
    err_SubscriptionNotFound (not sold), err_OrganizationOnly, err_AlreadySubscribed, err_NoPaymentMethod,
    err_PaymentDeclined (the subscription is canceled at once). Returns the subscription as stored."""
    with transaction.atomic():
        price = (SubscriptionPrice.objects.select_for_update(of=("self",))
                 .select_related("subscription__network__currency").get(pk=price.pk))
        subscription = price.subscription
        if not price.available or price.deleted_at or subscription.deleted_at:
            raise Refused("err_SubscriptionNotFound", "This subscription is not sold.", http_status=404)
        if subscription.organization_only and not rider.organizations.filter(
                rules__network=subscription.network).exists():
            raise Refused("err_OrganizationOnly", "This subscription is for members of an organization of the network.",
                          http_status=403)
        if RiderSubscription.objects.filter(rider=rider, subscription=subscription, status__in=OPEN).exists():
            raise _already_subscribed()
        method = _default_card(rider)
        if method is None:
            raise Refused("err_NoPaymentMethod", "Add a card first.", http_status=402)
        held = RiderSubscription.objects.create(rider=rider, network=subscription.network, subscription=subscription,
                                                price=price)
    payment = _charge_period(held, method)
    if payment.status == Transaction.Status.DECLINED:
        RiderSubscription.objects.filter(pk=held.pk, status=Status.PENDING).update(
            status=Status.CANCELED, canceled_at=timezone.now(), updated_at=timezone.now())
        raise Refused("err_PaymentDeclined", "Your bank declined the payment.", http_status=402)
    return RiderSubscription.objects.select_related("subscription", "price").get(pk=held.pk)


@transaction.atomic
def subscription_cancel(*, subscription: RiderSubscription) -> RiderSubscription:
    """Stop renewing: the subscription lasts to the end of the period paid (err_SubscriptionNotActive when it is
    already canceled or set to end)."""
    subscription = RiderSubscription.objects.select_for_update(of=("self",)).get(pk=subscription.pk)
    if subscription.status not in OPEN or subscription.cancel_at_period_end:
        raise Refused("err_SubscriptionNotActive", "This subscription is already canceled.")
    subscription.cancel_at_period_end = True
    subscription.save(update_fields=["cancel_at_period_end", "updated_at"])
    return subscription


def subscription_renew(*, subscription: RiderSubscription, now=None) -> str:
    """Renew a subscription whose period ended: canceled if the rider asked so, else the next period charged on his
    default card (past due when declined or without a card, canceled after RENEWAL_TRIES declines). Returns what
    happened. Safe to run twice: a paid period moved the end; the same try finds the same attempt."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = RiderSubscription.objects.select_for_update(of=("self",)).get(pk=subscription.pk)
        if subscription.status not in (Status.ACTIVE, Status.PAST_DUE) or subscription.current_period_end > now:
            return "not due"
        if subscription.cancel_at_period_end or _tries(subscription) >= RENEWAL_TRIES:
            subscription.status, subscription.canceled_at = Status.CANCELED, now
            subscription.save(update_fields=["status", "canceled_at", "updated_at"])
            return "canceled"
        method = _default_card(subscription.rider)
        if method is None:
            _past_due(subscription)
            return "past due"
    try:
        payment = _charge_period(subscription, method)
    except PaymentPending:
        return "pending"  # reconciliation settles it
    if payment.status == Transaction.Status.DECLINED:
        _past_due(subscription)
        return "past due"
    return "renewed"


def _past_due(subscription: RiderSubscription) -> None:
    RiderSubscription.objects.filter(pk=subscription.pk).update(status=Status.PAST_DUE, updated_at=timezone.now())


def _default_card(rider) -> PaymentMethod | None:
    return PaymentMethod.objects.filter(rider=rider, is_default=True, detached_at__isnull=True).first()


def _period_attempts(subscription: RiderSubscription):
    return PaymentAttempt.objects.filter(
        key__startswith=f"subscription-{subscription.pk}-period-{subscription.periods_paid + 1}-")


def _tries(subscription: RiderSubscription) -> int:
    return _period_attempts(subscription).filter(status=PaymentAttempt.Status.DECLINED).count()


def _charge_period(subscription: RiderSubscription, method: PaymentMethod) -> Transaction:
    price = SubscriptionPrice.objects.select_related("subscription__network__currency").get(pk=subscription.price_id)
    period = subscription.periods_paid + 1
    return payments.payment_charge(
        rider=subscription.rider, network=price.subscription.network, kind=Transaction.Kind.SUBSCRIPTION,
        amount_w_vat=price.price, product_title=f"{price.subscription.name}, period {period}"[:100], method=method,
        key=f"subscription-{subscription.pk}-period-{period}-try-{_tries(subscription) + 1}",
        purpose=PERIOD_PAYMENT, purpose_id=subscription.pk)


@on_charge_settled(PERIOD_PAYMENT)
def _period_paid(attempt, payment: Transaction) -> None:
    """A period's charge succeeded: the subscription is active for one more period (from the end of the last one, or
    from now for the first or after a lapse), and the price's free credits are in the wallet."""
    subscription = (RiderSubscription.objects.select_for_update(of=("self",))
                    .select_related("price", "subscription", "network__currency").get(pk=attempt.purpose_id))
    renewing = subscription.status == Status.ACTIVE and subscription.current_period_end is not None
    start = subscription.current_period_end if renewing else timezone.now()
    subscription.current_period_start, subscription.current_period_end = start, start + period_length(
        subscription.price)
    subscription.status, subscription.periods_paid = Status.ACTIVE, subscription.periods_paid + 1
    subscription.save(update_fields=["current_period_start", "current_period_end", "status", "periods_paid",
                                     "updated_at"])
    credits = subscription.price.free_credits
    if credits:
        payments.wallet_credit(rider=subscription.rider, amount=credits, currency=subscription.network.currency,
                               reason=f"{subscription.subscription.name}: credits of period "
                                      f"{subscription.periods_paid}", actor=None, kind=WalletEntry.Kind.CREDIT,
                               payment=payment)
