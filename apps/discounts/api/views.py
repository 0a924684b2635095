from django.db.models import Count, Prefetch

from apps.core.api.views import OperationView
from apps.core.models import UNSET

from .. import services
from ..models import Discount, DiscountCode
from .serializers import CreateCodeBody, CreateDiscountBody, DiscountOut, UpdateCodeBody, UpdateDiscountBody


class DiscountCollection(OperationView):
    operations = {"GET": "listDiscounts", "POST": "createDiscount"}
    body_serializers = {"POST": CreateDiscountBody}
    output_serializers = {"GET": DiscountOut}
    queryset = Discount.objects.all()

    def get(self, request):
        codes = DiscountCode.objects.annotate(use_count=Count("uses")).order_by("code")
        discounts = (self.get_queryset().filter(disabled_at__isnull=True)
                     .prefetch_related(Prefetch("codes", queryset=codes), "organizations")
                     .order_by("network_id", "-start_date", "-id"))
        return self.respond_list(discounts)

    def post(self, request):
        values = dict(self.body)
        discount = self.check_in_scope(services.discount_create(network=values.pop("network_id"), **values))
        return self.respond(discount.pk)  # the seed answers the new id


class DiscountDetail(OperationView):
    operations = {"PUT": "updateDiscount", "DELETE": "deleteDiscount"}
    body_serializers = {"PUT": UpdateDiscountBody}
    queryset = Discount.objects.all()

    def put(self, request, id):
        return self.respond(services.discount_update(
            discount=self.get_object(), data=self.body.get("data", UNSET),
            start_date=self.body.get("start_date", UNSET), request_end_date=self.body.get("request_end_date", UNSET),
            stop_date=self.body.get("stop_date", UNSET), valid_from_time=self.body.get("valid_from_time", UNSET),
            valid_until_time=self.body.get("valid_until_time", UNSET), cumulative=self.body.get("cumulative", UNSET),
            organizations=self.body.get("organizations"), name=self.body.get("name", UNSET)).pk)

    def delete(self, request, id):
        discount = self.get_object()
        services.discount_delete(discount=discount)
        return self.respond(discount.pk)


class DiscountCodeCollection(OperationView):
    operations = {"POST": "createDiscountCode"}
    body_serializers = {"POST": CreateCodeBody}
    queryset = Discount.objects.all()

    def post(self, request, id):
        return self.respond(services.code_create(
            discount=self.get_object(), code=self.body["code"], remaining=self.body["remaining"],
            email_access_pattern=self.body["email_access_pattern"]).pk)


class DiscountCodeDetail(OperationView):
    operations = {"PUT": "updateDiscountCode", "DELETE": "deleteDiscountCode"}
    body_serializers = {"PUT": UpdateCodeBody}
    queryset = DiscountCode.objects.select_related("discount")

    def put(self, request, id):
        return self.respond(services.code_update(
            instance=self.get_object(), code=self.body.get("code", UNSET),
            remaining=self.body.get("remaining", UNSET),
            email_access_pattern=self.body.get("email_access_pattern", UNSET)).pk)

    def delete(self, request, id):
        services.code_delete(code=self.get_object())
        return self.respond()
