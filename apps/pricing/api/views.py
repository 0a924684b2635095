from apps.core.api.views import OperationView

from .. import services
from ..models import PricingRule
from .serializers import CreatePricingBody, PricingOut, UpdatePricingBody


class PricingCollection(OperationView):
    operations = {"GET": "listPricing", "POST": "createPricing"}
    body_serializers = {"POST": CreatePricingBody}
    output_serializers = {"GET": PricingOut, "POST": PricingOut}
    queryset = PricingRule.objects.all()

    def get(self, request):
        return self.respond_list(self.get_network_queryset())

    def post(self, request):
        values = dict(self.body)
        return self.respond_object(services.pricing_create(network=values.pop("network_id"), **values))


class PricingDetail(OperationView):
    operations = {"PUT": "updatePricing", "DELETE": "deletePricing"}
    body_serializers = {"PUT": UpdatePricingBody}
    queryset = PricingRule.objects.all()

    def put(self, request, id):
        values = dict(self.body)
        services.pricing_update(rule=self.get_object(), network=values.pop("network_id"), **values)
        return self.respond()

    def delete(self, request, id):
        services.pricing_delete(rule=self.get_object())
        return self.respond()
