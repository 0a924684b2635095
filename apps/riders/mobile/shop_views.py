"""The riders' app purchases: the network's catalogue, offers bought by card, passes bought with credits."""
from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone
from rest_framework import serializers

from apps.core.api.mobile import MobileError, MobileOperationView
from apps.core.api.views import FileOperationView
from apps.core.exceptions import BusinessRuleViolation, Refused
from apps.networks.selectors import riders_network, riders_networks


def _money(currency, amount) -> str:
    return str(currency.quantize(amount))


class OfferOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    Title = serializers.CharField(source="title")
    Price = serializers.SerializerMethodField()
    GivenAmount = serializers.SerializerMethodField(help_text="The credits it puts in the wallet.")

    def get_Price(self, offer) -> str:
        return _money(offer.network.currency, offer.price)

    def get_GivenAmount(self, offer) -> str:
        return _money(offer.network.currency, offer.given_amount)


class PassOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    Title = serializers.CharField(source="title")
    Price = serializers.SerializerMethodField()
    DurationSeconds = serializers.IntegerField(source="duration", help_text="Riding time included.")
    Validity = serializers.CharField(source="validity", allow_null=True,
                                     help_text="day, week, month or unlimited: how long it lasts once activated.")

    def get_Price(self, offered) -> str:
        return _money(offered.network.currency, offered.price)


class RiderPassOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    PassId = serializers.IntegerField(source="pass_bought_id")
    Title = serializers.CharField(source="pass_bought.title")
    NetworkId = serializers.IntegerField(source="pass_bought.network_id")
    RemainingSeconds = serializers.IntegerField(source="remaining_seconds")
    ActivatedAt = serializers.DateTimeField(source="activated_at", allow_null=True)
    ExpiresAt = serializers.DateTimeField(source="expires_at", allow_null=True)
    BoughtAt = serializers.DateTimeField(source="created_at")


class NetworkCatalogue(MobileOperationView):
    operations = {"GET": "getNetworkCatalogue"}

    def get(self, request, id):
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.models import Offer, Pass

        network = riders_network(rider=request.user, network_id=id, queryset=riders_networks(rider=request.user).select_related("currency"))
        offers = Offer.objects.filter(network=network, available=True).select_related("network__currency")
        passes = Pass.objects.filter(network=network, available=True).select_related("network__currency")

        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.models import Subscription, SubscriptionPrice

        sold = SubscriptionPrice.objects.filter(available=True, deleted_at__isnull=True).order_by("price", "id")
        subscriptions = (Subscription.objects.filter(network=network, deleted_at__isnull=True, prices__in=sold)
                         .distinct().prefetch_related(Prefetch("prices", queryset=sold)).order_by("name", "id"))
        currency = network.currency
        return self.respond({
            "Offers": OfferOut(offers.order_by("price", "id"), many=True).data,
            "Passes": PassOut(passes.order_by("price", "id"), many=True).data,
            "Subscriptions": [{"Id": sub.pk, "Name": sub.name, "TripDurationSeconds": sub.trip_duration,
                               "OrganizationOnly": sub.organization_only,
                               "Prices": [{"Id": p.pk, "Price": _money(currency, p.price),
                                           "IntervalType": p.interval_type, "IntervalCount": p.interval_count,
                                           "FreeCredits": _money(currency, p.free_credits or 0)}
                                          for p in sub.prices.all()]}
                              for sub in subscriptions]})


class BuyOffer(MobileOperationView):
    operations = {"POST": "buyOffer"}
    idempotent_methods = ("POST",)
    stepped_methods = ("POST",)  # the charge happens between commits of its own (apps.payments.attempts)

    def post(self, request, id):
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.models import Offer
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.services import offer_buy
        # at call time: payments imports riders at load time (a cycle).
        from apps.payments.models import PaymentMethod, Transaction
        # at call time: payments imports riders at load time (a cycle).
        from apps.payments.services import request_key, wallet_balance

        offer = (Offer.objects.select_related("network__currency")
                 .filter(pk=id, available=True, network__in=riders_networks(rider=request.user)).first())
        if offer is None:
            raise MobileError("err_OfferNotFound", "No offer of your app has this id.", 404)
        method = PaymentMethod.objects.filter(rider=request.user, is_default=True, detached_at__isnull=True).first()
        if method is None:
            raise MobileError("err_NoPaymentMethod", "Add a card first.", 402)
        payment = offer_buy(offer=offer, rider=request.user, method=method, key=request_key(idempotency=self.idempotency))
        if payment.status == Transaction.Status.DECLINED:
            raise Refused("err_PaymentDeclined", "Your bank declined the payment.", http_status=402)
        wallet = request.user.wallets.filter(currency=offer.network.currency, closed_at__isnull=True).first()
        currency = offer.network.currency
        return self.respond({"PaymentId": payment.pk, "Status": payment.status,
                             "Amount": _money(currency, payment.amount_w_vat), "Currency": currency.pk,
                             "WalletBalance": _money(currency, wallet_balance(wallet=wallet) if wallet else 0)})


class BuyPass(MobileOperationView):
    operations = {"POST": "buyPass"}
    output_serializers = {"POST": RiderPassOut}
    idempotent_methods = ("POST",)

    def post(self, request, id):
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.models import Pass, UserPass
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.services import pass_buy

        offered = (Pass.objects.select_related("network__currency")
                   .filter(pk=id, available=True, network__in=riders_networks(rider=request.user)).first())
        if offered is None:
            raise MobileError("err_PassNotFound", "No pass of your app has this id.", 404)
        try:
            bought = pass_buy(offered=offered, rider=request.user)
        except BusinessRuleViolation as refused:
            if refused.key != "wallet.insufficient":
                raise
            raise Refused("err_NotEnoughCredits", "Your wallet does not hold enough credits: buy an offer first.",
                          http_status=402) from None
        return self.respond(RiderPassOut(UserPass.objects.select_related("pass_bought").get(pk=bought.pk)).data)


class RiderPasses(MobileOperationView):
    operations = {"GET": "listRiderPasses"}
    output_serializers = {"GET": RiderPassOut}

    def get(self, request):
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.models import UserPass

        held = (UserPass.objects.filter(rider=request.user, deleted_at__isnull=True, refunded=False)
                .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
                .select_related("pass_bought").order_by("-created_at", "-id"))
        return self.respond(RiderPassOut(held, many=True).data)


class RiderInvoiceOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    Reference = serializers.CharField(source="reference")
    Kind = serializers.CharField(source="kind")
    IssuedAt = serializers.DateTimeField(source="issued_at")
    Title = serializers.CharField(source="transaction.product_title")
    AmountWithVat = serializers.SerializerMethodField()
    Currency = serializers.CharField(source="transaction.currency_id")
    PdfUrl = serializers.SerializerMethodField()

    def get_AmountWithVat(self, invoice) -> str:
        return _money(invoice.transaction.currency, invoice.amount_w_vat)

    def get_PdfUrl(self, invoice) -> str:
        # at call time: payments imports riders at load time (a cycle).
        from apps.payments.invoices import invoice_link

        return invoice_link(invoice)


class RiderInvoices(MobileOperationView):
    operations = {"GET": "listRiderInvoices"}

    def get(self, request):
        # at call time: payments imports riders at load time (a cycle).
        from apps.payments.models import Invoice

        invoices = (Invoice.objects.filter(transaction__rider=request.user).select_related("transaction__currency")
                    .order_by("-issued_at", "-id"))
        index, size = self.query["PageIndex"], self.query["PageSize"]
        return self.respond({"Items": RiderInvoiceOut(invoices[index * size:(index + 1) * size], many=True).data,
                             "PageIndex": index, "PageSize": size, "TotalCount": invoices.count()})


class RiderInvoicePdf(MobileOperationView, FileOperationView):
    operations = {"GET": "getRiderInvoicePdf"}
    file_types = {"GET": ["application/pdf"]}
    authentication_classes: list = []

    def get(self, request, token):
        # at call time: payments imports riders at load time (a cycle).
        from apps.payments.invoices import invoice_from_link, pdf_response

        invoice = invoice_from_link(token)
        if invoice is None:
            raise MobileError("err_InvoiceNotFound", "This invoice link is wrong or too old.", 404)
        return pdf_response(invoice)


class RiderSubscriptionOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    SubscriptionId = serializers.IntegerField(source="subscription_id")
    Name = serializers.CharField(source="subscription.name")
    NetworkId = serializers.IntegerField(source="network_id")
    PriceId = serializers.IntegerField(source="price_id")
    Status = serializers.CharField(source="status", help_text="pending, active, past_due or canceled.")
    PeriodsPaid = serializers.IntegerField(source="periods_paid")
    CurrentPeriodStart = serializers.DateTimeField(source="current_period_start", allow_null=True)
    CurrentPeriodEnd = serializers.DateTimeField(source="current_period_end", allow_null=True)
    CancelAtPeriodEnd = serializers.BooleanField(source="cancel_at_period_end")


class Subscribe(MobileOperationView):
    operations = {"POST": "subscribeRider"}
    output_serializers = {"POST": RiderSubscriptionOut}
    idempotent_methods = ("POST",)
    stepped_methods = ("POST",)  # the first period's charge happens between commits of its own

    def post(self, request, id):
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.models import SubscriptionPrice
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.subscriptions import subscription_start

        price = SubscriptionPrice.objects.filter(pk=id, subscription__network__in=riders_networks(rider=request.user)).first()
        if price is None:
            raise MobileError("err_SubscriptionNotFound", "No subscription of your app has this id.", 404)
        return self.respond(RiderSubscriptionOut(subscription_start(price=price, rider=request.user)).data)


class RiderSubscriptions(MobileOperationView):
    operations = {"GET": "listRiderSubscriptions"}
    output_serializers = {"GET": RiderSubscriptionOut}

    def get(self, request):
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.models import RiderSubscription

        mine = RiderSubscription.objects.filter(rider=request.user).select_related("subscription")
        return self.respond(RiderSubscriptionOut(mine.order_by("-created_at", "-id"), many=True).data)


class CancelRiderSubscription(MobileOperationView):
    operations = {"POST": "cancelRiderSubscription"}
    output_serializers = {"POST": RiderSubscriptionOut}

    def post(self, request, id):
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.models import RiderSubscription
        # at call time: commerce imports riders at load time (a cycle).
        from apps.commerce.subscriptions import subscription_cancel

        mine = RiderSubscription.objects.filter(pk=id, rider=request.user).first()
        if mine is None:
            raise MobileError("err_SubscriptionNotFound", "No subscription of yours has this id.", 404)
        subscription_cancel(subscription=mine)
        return self.respond(RiderSubscriptionOut(
            RiderSubscription.objects.select_related("subscription").get(pk=mine.pk)).data)
