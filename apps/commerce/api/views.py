from rest_framework import serializers

from apps.core.api.params import CatalogSerializer
from apps.core.api.views import OperationView
from apps.networks.models import Network
from apps.riders.api.views import RiderView

from .. import services
from ..models import Offer, Pass, Subscription, SubscriptionDiscount, SubscriptionPrice, UserPass

MONEY = {"max_digits": 12, "decimal_places": 4, "coerce_to_string": False}


class NetworkBody(CatalogSerializer):
    references = {"network_id": Network.objects.all()}


class OfferOut(serializers.ModelSerializer):
    price = serializers.DecimalField(**MONEY)
    given_amount = serializers.DecimalField(**MONEY)
    currency = serializers.CharField(source="network.currency_id")

    class Meta:
        model = Offer
        fields = ["id", "network_id", "title", "available", "price", "given_amount", "currency", "created_at"]


class PassOut(serializers.ModelSerializer):
    price = serializers.DecimalField(**MONEY)
    currency = serializers.CharField(source="network.currency_id")

    class Meta:
        model = Pass
        fields = ["id", "network_id", "title", "available", "price", "currency", "duration", "validity", "created_at"]


class SubscriptionOut(serializers.ModelSerializer):
    class Meta:
        model = Subscription
        fields = ["id", "network_id", "name", "trip_duration", "trip_waiting_period", "organization_only",
                  "created_at"]


class PriceOut(serializers.ModelSerializer):
    price = serializers.DecimalField(**MONEY)
    free_credits = serializers.DecimalField(allow_null=True, **MONEY)

    class Meta:
        model = SubscriptionPrice
        fields = ["id", "subscription_id", "price", "interval_type", "interval_count", "free_credits", "available",
                  "created_at"]


class SubscriptionDiscountOut(serializers.ModelSerializer):
    percent_off = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = SubscriptionDiscount
        fields = ["id", "network_id", "percent_off", "duration", "duration_in_months", "created_at"]


class UserPassOut(serializers.ModelSerializer):
    title = serializers.CharField(source="pass_bought.title")
    network_id = serializers.IntegerField(source="pass_bought.network_id")
    validity = serializers.CharField(source="pass_bought.validity", allow_null=True)
    price_paid = serializers.DecimalField(**MONEY)

    class Meta:
        model = UserPass
        fields = ["id", "pass_bought_id", "title", "network_id", "validity", "price_paid", "remaining_seconds",
                  "activated_at", "expires_at", "disabled_at", "refunded", "created_at"]


class NetworkListView(OperationView):
    """A catalogue list of the `networks` (all inside the caller's scope, -4 otherwise), and its creation in the
    body's `network_id` (which must stay inside the caller's write scope)."""

    def get(self, request):
        return self.respond_list(self.get_network_queryset().select_related("network").order_by("network_id", "id"))

    def created(self, create):
        values = dict(self.body)
        return self.respond_object(self.check_in_scope(create(network=values.pop("network_id"), **values)))


# --- offers -----------------------------------------------------------------------------------------------------
class CreateOfferBody(NetworkBody):
    operation_id = "createOffer"


class OfferCollection(NetworkListView):
    operations = {"GET": "listOffers", "POST": "createOffer"}
    body_serializers = {"POST": CreateOfferBody}
    output_serializers = {"GET": OfferOut, "POST": OfferOut}
    queryset = Offer.objects.all()

    def post(self, request):
        return self.created(services.offer_create)


class OfferDetail(OperationView):
    operations = {"PUT": "updateOffer", "DELETE": "deleteOffer"}
    queryset = Offer.objects.all()

    def put(self, request, id):
        services.offer_update(offer=self.get_object(), **self.given("title", "available", "price",
                                                                "given_amount"))
        return self.respond()

    def delete(self, request, id):
        services.offer_delete(offer=self.get_object())
        return self.respond()


# --- passes -----------------------------------------------------------------------------------------------------
class CreatePassBody(NetworkBody):
    operation_id = "createPass"


class PassCollection(NetworkListView):
    operations = {"GET": "listPasses", "POST": "createPass"}
    body_serializers = {"POST": CreatePassBody}
    output_serializers = {"GET": PassOut, "POST": PassOut}
    queryset = Pass.objects.all()

    def post(self, request):
        return self.created(services.pass_create)


class PassDetail(OperationView):
    operations = {"PUT": "updatePass", "DELETE": "deletePass"}
    queryset = Pass.objects.all()

    def put(self, request, id):
        services.pass_update(offered=self.get_object(), available=self.body["available"],
                             **self.given("title", "price", "duration", "validity"))
        return self.respond()

    def delete(self, request, id):
        services.pass_delete(offered=self.get_object())
        return self.respond()


# --- subscriptions ---------------------------------------------------------------------------------------------
class CreateSubscriptionBody(NetworkBody):
    operation_id = "createSubscription"


class SubscriptionCollection(NetworkListView):
    operations = {"GET": "listSubscriptions", "POST": "createSubscription"}
    body_serializers = {"POST": CreateSubscriptionBody}
    output_serializers = {"GET": SubscriptionOut, "POST": SubscriptionOut}
    queryset = Subscription.objects.filter(deleted_at__isnull=True)

    def post(self, request):
        return self.created(services.subscription_create)


class SubscriptionDetail(OperationView):
    operations = {"PUT": "updateSubscription", "DELETE": "deleteSubscription"}
    queryset = Subscription.objects.filter(deleted_at__isnull=True)

    def put(self, request, id):
        services.subscription_update(subscription=self.get_object(), **self.given(
            "name", "trip_duration", "trip_waiting_period", "organization_only"))
        return self.respond()

    def delete(self, request, id):
        services.subscription_delete(subscription=self.get_object())
        return self.respond()


class PriceCollection(OperationView):
    operations = {"GET": "listSubscriptionPrices", "POST": "createSubscriptionPrice"}
    output_serializers = {"GET": PriceOut, "POST": PriceOut}
    queryset = Subscription.objects.filter(deleted_at__isnull=True).select_related("network__currency")

    def get(self, request, id):
        return self.respond_list(self.get_object().prices.filter(deleted_at__isnull=True).order_by("price", "id"))

    def post(self, request, id):
        return self.respond_object(services.price_create(
            subscription=self.get_object(), price=self.body["price"], interval_type=self.body["interval_type"],
            interval_count=self.body["interval_count"], free_credits=self.body["free_credits"],
            available=self.body["available"]))


class PriceDetail(OperationView):
    operations = {"PUT": "updateSubscriptionPrice", "DELETE": "deleteSubscriptionPrice"}
    queryset = Subscription.objects.filter(deleted_at__isnull=True)

    def price(self):
        subscription = self.get_object()
        return self.get_object(pk=self.kwargs["price_id"], queryset=subscription.prices.filter(deleted_at__isnull=True))

    def put(self, request, id, price_id):
        services.price_update(price=self.price(), **self.given("available", "free_credits"))
        return self.respond()

    def delete(self, request, id, price_id):
        services.price_delete(price=self.price())
        return self.respond()


class CreateSubscriptionDiscountBody(NetworkBody):
    operation_id = "createSubscriptionDiscount"


class SubscriptionDiscountCollection(NetworkListView):
    operations = {"GET": "listSubscriptionDiscounts", "POST": "createSubscriptionDiscount"}
    body_serializers = {"POST": CreateSubscriptionDiscountBody}
    output_serializers = {"GET": SubscriptionDiscountOut, "POST": SubscriptionDiscountOut}
    queryset = SubscriptionDiscount.objects.all()

    def post(self, request):
        return self.created(services.discount_create)


class SubscriptionDiscountDetail(OperationView):
    operations = {"DELETE": "deleteSubscriptionDiscount"}
    queryset = SubscriptionDiscount.objects.all()

    def delete(self, request, id):
        self.get_object().delete()
        return self.respond()


# --- what riders bought ---------------------------------------------------------------------------------------
class UserPassList(RiderView):
    operations = {"GET": "listUserPasses"}
    output_serializers = {"GET": UserPassOut}

    def get(self, request, id):
        passes = self.scoped(UserPass.objects.filter(rider=self.rider, deleted_at__isnull=True))
        return self.respond_list(passes.select_related("pass_bought"))


class UserPassDetail(OperationView):
    operations = {"DELETE": "deleteUserPass"}
    idempotent_methods = ("DELETE",)
    queryset = UserPass.objects.filter(deleted_at__isnull=True)

    def delete(self, request, id):
        services.user_pass_delete(user_pass=self.get_object(), refund=bool(self.query.get("refund")),
                                  actor=request.user)
        return self.respond()


class UserPassDisable(OperationView):
    operations = {"POST": "disableUserPass"}
    idempotent_methods = ("POST",)
    queryset = UserPass.objects.filter(deleted_at__isnull=True)

    def post(self, request, id):
        services.user_pass_disable(user_pass=self.get_object(), reset=bool(self.body.get("reset")))
        return self.respond()
