"""Writes on what riders can buy, with the seed's rules ("Only availability can be changed on an offer already
bought"); purchases move money through apps.payments.services, in the same transaction."""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed
from apps.core.models import UNSET, assign
from apps.payments import services as payments
from apps.payments.attempts import on_charge_settled
from apps.payments.models import Transaction, WalletEntry

from .models import Offer, OfferPurchase, Pass, Subscription, SubscriptionDiscount, SubscriptionPrice, UserPass


def _only_availability(obj, bought: bool, what: str, **values) -> None:
    changed = [name for name, value in values.items() if value is not UNSET and getattr(obj, name) != value]
    if bought and changed:
        raise BusinessRuleViolation(f"{what}.bought", f"Only the availability can be changed on a {what} already "
                                                      f"bought (not {', '.join(changed)}).")


# --- offers ------------------------------------------------------------------------------------------------
@transaction.atomic
def offer_create(*, network, title: str, available: bool, price, given_amount) -> Offer:
    currency = network.currency
    return Offer.objects.create(network=network, title=title, available=available, price=currency.quantize(price),
                                given_amount=currency.quantize(given_amount))


@transaction.atomic
def offer_update(*, offer: Offer, title=UNSET, available=UNSET, price=UNSET, given_amount=UNSET) -> Offer:
    offer = Offer.objects.select_for_update(of=("self",)).select_related("network__currency").get(pk=offer.pk)
    currency = offer.network.currency
    price = price if price is UNSET else currency.quantize(price)
    given_amount = given_amount if given_amount is UNSET else currency.quantize(given_amount)
    _only_availability(offer, offer.purchases.exists(), "offer", title=title, price=price, given_amount=given_amount)
    assign(offer, title=title, available=available, price=price, given_amount=given_amount)
    offer.save()
    return offer


@transaction.atomic
def offer_delete(*, offer: Offer) -> None:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.purchases.exists():
        raise BusinessRuleViolation("offer.bought", "An offer already bought cannot be deleted; make it unavailable.")
    offer.delete()


def offer_buy(*, offer: Offer, rider, method, key: str | None = None) -> Transaction:
    """A rider buys an offer with a saved method: the charge (between commits, apps.payments.attempts), and with
    its settlement the credits in the wallet (`_credit_offer`, in the settling transaction: reconciliation of a
    charge whose answer was lost credits them too)."""
    if not offer.available:
        raise BusinessRuleViolation("offer.unavailable", "This offer is not available.")
    return payments.payment_charge(rider=rider, network=offer.network, kind=Transaction.Kind.WALLET_TOP_UP,
                                   amount_w_vat=offer.price, product_title=offer.title, method=method, key=key,
                                   purpose="offer_purchase", purpose_id=offer.pk)


@on_charge_settled("offer_purchase")
def _credit_offer(attempt, payment: Transaction) -> None:
    offer = Offer.objects.select_related("network__currency").get(pk=attempt.purpose_id)
    OfferPurchase.objects.create(offer=offer, transaction=payment)
    payments.wallet_credit(rider=payment.rider, amount=offer.given_amount, currency=offer.network.currency,
                           reason=offer.title, actor=None, kind=WalletEntry.Kind.OFFER, payment=payment)


# --- passes ------------------------------------------------------------------------------------------------
@transaction.atomic
def pass_create(*, network, title: str, available: bool, price, duration: int, validity) -> Pass:
    return Pass.objects.create(network=network, title=title, available=available,
                               price=network.currency.quantize(price), duration=duration, validity=validity)


@transaction.atomic
def pass_update(*, offered: Pass, available: bool, title=UNSET, price=UNSET, duration=UNSET,
                validity=UNSET) -> Pass:
    offered = Pass.objects.select_for_update(of=("self",)).select_related("network__currency").get(pk=offered.pk)
    price = price if price is UNSET else offered.network.currency.quantize(price)
    _only_availability(offered, offered.bought.exists(), "pass", title=title, price=price, duration=duration,
                       validity=validity)
    assign(offered, available=available, title=title, price=price, duration=duration, validity=validity)
    offered.save()
    return offered


@transaction.atomic
def pass_delete(*, offered: Pass) -> None:
    offered = Pass.objects.select_for_update().get(pk=offered.pk)
    if offered.bought.exists():
        raise BusinessRuleViolation("pass.bought", "A pass already bought cannot be deleted; make it unavailable.")
    offered.delete()


@transaction.atomic
def pass_buy(*, offered: Pass, rider) -> UserPass:
    """The price is taken from the rider's wallet (the seed: "subtract from user wallet")."""
    if not offered.available:
        raise BusinessRuleViolation("pass.unavailable", "This pass is not available.")
    payments.wallet_consume(rider=rider, amount=offered.price, currency=offered.network.currency,
                            reason=offered.title)
    return UserPass.objects.create(rider=rider, pass_bought=offered, price_paid=offered.price,
                                   remaining_seconds=offered.duration)


VALIDITY = {"day": timedelta(days=1), "week": timedelta(weeks=1), "month": timedelta(days=30), "unlimited": None}


def _locked_user_pass(user_pass: UserPass) -> UserPass:
    user_pass = UserPass.objects.select_for_update(of=("self",)).select_related("pass_bought__network__currency").filter(
        pk=user_pass.pk, deleted_at__isnull=True).first()
    if user_pass is None:
        raise NotFound("This pass was removed from the user.")
    return user_pass


@transaction.atomic
def user_pass_activate(*, user_pass: UserPass, at=None) -> UserPass:
    user_pass = _locked_user_pass(user_pass)
    at = at or timezone.now()
    span = VALIDITY.get(user_pass.pass_bought.validity or "unlimited")
    user_pass.activated_at, user_pass.disabled_at = at, None
    user_pass.expires_at = at + span if span else None
    user_pass.save()
    return user_pass


@transaction.atomic
def user_pass_disable(*, user_pass: UserPass, reset: bool = False) -> UserPass:
    """Deactivate a pass so that its next trip activates it again; `reset` gives back its whole riding time."""
    user_pass = _locked_user_pass(user_pass)
    if user_pass.activated_at is None:
        raise BusinessRuleViolation("user_pass.not_active", "This pass is not active.")
    user_pass.activated_at = user_pass.expires_at = None
    user_pass.disabled_at = timezone.now()
    if reset:
        user_pass.remaining_seconds = user_pass.pass_bought.duration
    user_pass.save()
    return user_pass


@transaction.atomic
def user_pass_delete(*, user_pass: UserPass, refund: bool = False, actor=None) -> UserPass:
    """Remove a pass from the rider; `refund` gives its price back to the rider's wallet, once."""
    user_pass = _locked_user_pass(user_pass)
    user_pass.deleted_at = timezone.now()
    if refund and user_pass.price_paid > 0:
        payments.wallet_credit(rider=user_pass.rider, amount=user_pass.price_paid,
                               currency=user_pass.pass_bought.network.currency,
                               reason=f"Refund of the pass {user_pass.pass_bought.title}", actor=actor,
                               kind=WalletEntry.Kind.REFUND)
        user_pass.refunded = True
    user_pass.save()
    return user_pass


# --- subscriptions ---------------------------------------------------------------------------------------------
@transaction.atomic
def subscription_create(*, network, name: str, trip_duration: int, trip_waiting_period, organization_only: bool
                        ) -> Subscription:
    return Subscription.objects.create(network=network, name=name, trip_duration=trip_duration,
                                       trip_waiting_period=trip_waiting_period, organization_only=organization_only)


@transaction.atomic
def subscription_update(*, subscription: Subscription, **values) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    assign(subscription, **values)
    subscription.save()
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    """Soft delete: riders' past subscriptions still name it; its prices go with it."""
    now = timezone.now()
    Subscription.objects.filter(pk=subscription.pk).update(deleted_at=now, updated_at=now)
    subscription.prices.filter(deleted_at__isnull=True).update(deleted_at=now, available=False, updated_at=now)


@transaction.atomic
def price_create(*, subscription: Subscription, price, interval_type: str, interval_count: int, free_credits,
                 available: bool) -> SubscriptionPrice:
    currency = subscription.network.currency
    return SubscriptionPrice.objects.create(
        subscription=subscription, price=currency.quantize(price), interval_type=interval_type,
        interval_count=interval_count, free_credits=None if free_credits is None else currency.quantize(free_credits),
        available=available)


@transaction.atomic
def price_update(*, price: SubscriptionPrice, available=UNSET, free_credits=UNSET) -> SubscriptionPrice:
    """Only what does not change what riders pay can be changed (the seed's fields): availability and gift."""
    price = SubscriptionPrice.objects.select_for_update(of=("self",)).select_related("subscription__network__currency").get(
        pk=price.pk)
    if free_credits not in (UNSET, None):
        free_credits = price.subscription.network.currency.quantize(free_credits)
    assign(price, available=available, free_credits=free_credits)
    price.save()
    return price


@transaction.atomic
def price_delete(*, price: SubscriptionPrice) -> None:
    now = timezone.now()
    SubscriptionPrice.objects.filter(pk=price.pk).update(deleted_at=now, available=False, updated_at=now)


@transaction.atomic
def discount_create(*, network, percent_off, duration: str, duration_in_months) -> SubscriptionDiscount:
    if (duration == "repeating") != (duration_in_months is not None):
        raise ValidationFailed.on("duration_in_months", "Give either a repeating duration with duration_in_months, "
                                                        "or another duration without it.")
    return SubscriptionDiscount.objects.create(network=network, percent_off=percent_off, duration=duration,
                                               duration_in_months=duration_in_months)
