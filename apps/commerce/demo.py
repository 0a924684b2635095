"""Demo commerce: a catalogue per network, and a year of payments consistent with the demo trips (each finished
trip paid by card, from the wallet, or by pass), offers and passes sold, a few refunds and declines, with their
invoices and credit notes."""
from decimal import Decimal

from apps.networks.models import Network
from apps.payments import services as payments
from apps.payments.attempts import provider_calls_in_transaction
from apps.payments.providers import LocalSandboxProvider
from apps.payments.models import PaymentMethod, Transaction
from apps.trips.models import PaymentMode, Trip, TripState

from . import services
from .subscriptions import subscription_start
from .models import Offer, Pass, RiderSubscription, Subscription, SubscriptionDiscount, SubscriptionPrice


def _catalogue(network):
    offers = [services.offer_create(network=network, title=title, available=True, price=Decimal(price),
                                    given_amount=Decimal(given))
              for title, price, given in (("10 of credits", "10", "10"), ("25 + 3 free", "25", "28"))]
    passes = [services.pass_create(network=network, title=title, available=True, price=Decimal(price),
                                   duration=duration, validity=validity)
              for title, price, duration, validity in (("Day pass", "5", 3600, "day"),
                                                       ("Week pass", "15", 5 * 3600, "week"))]
    subscription = Subscription.objects.create(network=network, name="Commuter", trip_duration=1800)
    SubscriptionPrice.objects.create(subscription=subscription, price=Decimal("19.90"), interval_type="month",
                                     interval_count=1, free_credits=Decimal("2"))
    SubscriptionDiscount.objects.create(network=network, percent_off=Decimal("20"), duration="repeating",
                                        duration_in_months=3)
    return offers, passes


def seed(ctx):
    if Offer.objects.exists():
        return
    # The demo loader writes everything in one transaction, with the local sandbox (it moves no money).
    with provider_calls_in_transaction():
        _seed(ctx)


def _seed(ctx):
    paid = refunded = declined = 0
    for network in Network.objects.order_by("pk"):
        offers, passes = _catalogue(network)
        # Paid trips spread over the whole demo year (each payment runs the real payment services: ~20 ms).
        finished = list(Trip.objects.filter(network=network, state=TripState.FINISHED, amount__gt=0)
                        .order_by("ended_at").values_list("pk", flat=True))
        limit = 2000 if ctx.large else 150
        picked = finished[:: max(1, len(finished) // limit)][:limit]
        trips = list(Trip.objects.filter(pk__in=picked).select_related("rider").order_by("ended_at"))
        for n, trip in enumerate(trips):
            method = PaymentMethod.objects.filter(rider=trip.rider, is_default=True, detached_at__isnull=True).first()
            if method is None:
                continue
            charge = trip.amount - trip.discount_amount
            if charge <= 0:
                continue
            if trip.payment_mode == PaymentMode.WALLET and charge <= offers[1].given_amount:
                services.offer_buy(offer=offers[0] if charge <= offers[0].given_amount else offers[1],
                                   rider=trip.rider, method=method)
                payments.wallet_consume(rider=trip.rider, amount=charge, currency=network.currency,
                                        reason=f"Trip {trip.pk}")
                continue
            if n % 97 == 13:  # a card that fails
                LocalSandboxProvider.inject("charge", "decline")
            payment = payments.payment_charge(rider=trip.rider, network=network, kind=Transaction.Kind.TRIP,
                                              amount_w_vat=charge, product_title="Trip", method=method,
                                              auto_payment=True, trip=trip, date=trip.ended_at)
            if payment.status == Transaction.Status.DECLINED:
                declined += 1
                continue
            paid += 1
            if n % 41 == 5:
                payments.transaction_refund(payment=payment, amount=min(charge, Decimal("2")),
                                            reason="Vehicle problem reported during the trip", actor=None)
                refunded += 1
        card_riders = list({t.rider_id: t.rider for t in trips if t.payment_mode != PaymentMode.WALLET}.values())
        for rider in card_riders[:10]:
            payments.wallet_credit(rider=rider, amount=Decimal("5"), currency=network.currency,
                                   reason="Welcome gift", actor=None)
            services.pass_buy(offered=passes[0], rider=rider)  # 5 of credits buy the day pass
        price = SubscriptionPrice.objects.filter(subscription__network=network).first()
        for rider in card_riders[10:13]:  # commuters, through the subscription services (their first period paid)
            if PaymentMethod.objects.filter(rider=rider, is_default=True, detached_at__isnull=True).exists():
                subscription_start(price=price, rider=rider)
    ctx.log(f"commerce: {paid} payments, {refunded} refunds, {declined} declines, {Pass.objects.count()} passes, "
            f"{RiderSubscription.objects.count()} subscriptions")
