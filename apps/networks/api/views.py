from apps.core.api.views import OperationView
from apps.core.models import UNSET

from .. import services
from ..indicators import annotate_indicators, fill_batch_indicators
from ..models import Network, OutOfOrder, ThirdParty
from ..selectors import out_of_order_type_labels
from .base import NetworkPathView
from .serializers import (
    CreateNetworkBody,
    CreateThirdPartyBody,
    ErpThirdPartyOut,
    NetworkShortOut,
    NetworkWithIndicatorsOut,
    OutOfOrderOut,
    ThirdPartyOut,
)


class NetworkCollection(OperationView):
    operations = {"GET": "listNetworks", "POST": "createNetwork"}
    body_serializers = {"POST": CreateNetworkBody}
    output_serializers = {"GET": NetworkWithIndicatorsOut}
    queryset = Network.objects.all()

    def get_base_queryset(self):
        return annotate_indicators(Network.objects.select_related("third_party"), self.scope)

    def get(self, request):
        return self.respond_list(fill_batch_indicators(list(self.get_queryset().order_by("name", "id")), self.scope))

    def post(self, request):
        network = self.check_in_scope(services.network_create(
            name=self.body["name"], default_vat=self.body["default_vat"], currency=self.body["currency"],
            default_vehicle_guarantee=self.body["default_vehicle_guarantee"],
            trip_to_skip_pre_auth_guarantee=self.body["trip_to_skip_pre_auth_guarantee"],
            timezone=self.body["timezone"], country=self.body["country"], third_party=self.body.get("third_party"),
            app_label=self.body["app_label"]))
        return self.respond(network.pk)


class NetworkShortList(OperationView):
    """The dashboard's network selector: open networks the user may open the dashboard on."""

    operations = {"GET": "listNetworksShort"}
    output_serializers = {"GET": NetworkShortOut}
    queryset = Network.objects.open()

    def get(self, request):
        return self.respond_list(self.get_queryset().order_by("name", "id"))


class NetworkDetail(OperationView):
    operations = {"GET": "getNetwork", "DELETE": "closeNetwork"}
    output_serializers = {"GET": NetworkWithIndicatorsOut}
    queryset = Network.objects.all()

    def get_base_queryset(self):
        return annotate_indicators(Network.objects.select_related("third_party"), self.scope)

    def get(self, request, network_id):
        return self.respond_object(fill_batch_indicators([self.get_object()], self.scope)[0])

    def delete(self, request, network_id):
        services.network_close(network=self.get_object())
        return self.respond()


class ThirdPartyCollection(OperationView):
    operations = {"GET": "listThirdParties", "POST": "createThirdParty"}
    body_serializers = {"POST": CreateThirdPartyBody}
    output_serializers = {"GET": ThirdPartyOut, "POST": ThirdPartyOut}
    queryset = ThirdParty.objects.select_related("country")

    def get(self, request):
        return self.respond_list(self.get_queryset())

    def post(self, request):
        return self.respond_object(self.check_in_scope(services.third_party_create(
            name=self.body["name"], address=self.body["address"], zipcode=self.body["zipcode"],
            city=self.body["city"], country=self.body["country"])))


class ErpThirdPartyList(OperationView):
    operations = {"GET": "listErpThirdParties"}
    output_serializers = {"GET": ErpThirdPartyOut}

    def get(self, request):
        # The ERP's companies are no tenant's data: reading them needs a global networks.manage grant.
        self.require_global_scope()
        return self.respond_list(services.erp_third_parties_not_imported())


class ErpThirdPartyImport(OperationView):
    operations = {"POST": "importErpThirdParty"}
    output_serializers = {"POST": ThirdPartyOut}

    def post(self, request):
        self.require_global_scope()  # before calling the ERP: third parties belong to no tenant
        return self.respond_object(services.third_party_import_from_erp(erp_id=self.body["erp_id"]))


class NetworkOutOfOrderCollection(NetworkPathView):
    operations = {"POST": "createNetworkOutOfOrder"}
    output_serializers = {"POST": OutOfOrderOut}

    def post(self, request, network_id):
        out_of_order = services.out_of_order_create(
            network=self.network, actor=request.user, type=self.body["type"], reason=self.body.get("reason", ""),
            start_date=self.body["start_date"], end_date=self.body.get("end_date"))
        return self.respond_object(out_of_order)


class OutOfOrderDetail(OperationView):
    operations = {"GET": "getOutOfOrder", "PUT": "updateOutOfOrder"}
    output_serializers = {"GET": OutOfOrderOut}
    queryset = OutOfOrder.objects.all()

    def get(self, request, id):
        self.labels = out_of_order_type_labels(lang=self.query["lang"])  # read by OutOfOrderOut
        return self.respond_object(self.get_object())

    def put(self, request, id):
        services.out_of_order_update(
            out_of_order=self.get_object(), reason=self.body.get("reason", UNSET),
            end_date=self.body.get("end_date", UNSET))
        return self.respond()
