"""Per-network settings. Every path starts with the network, which must be inside the caller's scope (-5)."""
from apps.fleet.models import VehicleModel
from apps.networks.api.base import NetworkPathView

from .. import services
from ..selectors import settings_of
from ..models import NetworkAccessRule, VehicleModelGuarantee, VehicleModelSettings
from .serializers import (
    AccessRuleOut,
    CreateAccessRuleBody,
    FreefloatRewardOut,
    ModelGuaranteeOut,
    ModelSettingsOut,
    RentSettingsOut,
    SpeedSettingsBody,
    SpeedSettingsOut,
    UpdateAccessRuleBody,
)


class NetworkView(NetworkPathView):
    def network_settings(self):
        return settings_of(network=self.network)


class AccessRuleCollection(NetworkView):
    operations = {"GET": "listNetworkAccessRules", "POST": "createNetworkAccessRule"}
    body_serializers = {"POST": CreateAccessRuleBody}
    output_serializers = {"GET": AccessRuleOut}

    def get(self, request, network_id):
        rules = self.network.access_rules.select_related("organization", "app_label").order_by("id")
        return self.respond_list(rules)

    def post(self, request, network_id):
        return self.respond(services.access_rule_save(network=self.network, **self.body).pk)  # the seed: data = id


class AccessRuleDetail(NetworkView):
    operations = {"PUT": "updateNetworkAccessRule", "DELETE": "deleteNetworkAccessRule"}
    body_serializers = {"PUT": UpdateAccessRuleBody}

    def rule(self) -> NetworkAccessRule:
        return self.get_object(pk=self.kwargs["rid"], queryset=self.scoped(
            NetworkAccessRule.objects.filter(network=self.network)))

    def put(self, request, network_id, rid):
        services.access_rule_save(network=self.network, rule=self.rule(), **self.body)
        return self.respond()

    def delete(self, request, network_id, rid):
        self.rule().delete()
        return self.respond()


class Sponsorship(NetworkView):
    operations = {"PUT": "updateNetworkSponsorship"}

    def put(self, request, network_id):
        services.settings_update(network=self.network, **self.body)
        return self.respond()


class ModelSettingsList(NetworkView):
    operations = {"GET": "listNetworkVehicleModelSettings"}
    output_serializers = {"GET": ModelSettingsOut}

    def get(self, request, network_id):
        return self.respond_list(VehicleModelSettings.objects.filter(network=self.network).select_related("model"))


class ModelGuaranteeList(NetworkView):
    operations = {"GET": "listNetworkVehicleModelGuarantees"}
    output_serializers = {"GET": ModelGuaranteeOut}

    def get(self, request, network_id):
        return self.respond_list(VehicleModelGuarantee.objects.filter(network=self.network).select_related("model"))


class ModelView(NetworkView):
    def model(self) -> VehicleModel:
        return self.get_object(pk=self.kwargs["model_id"], queryset=VehicleModel.objects.all())


class ModelSettings(ModelView):
    operations = {"PUT": "updateNetworkVehicleModelSettings"}

    def put(self, request, network_id, model_id):
        services.model_settings_set(network=self.network, model=self.model(), **self.body)
        return self.respond()


class ModelGuarantee(ModelView):
    operations = {"PUT": "updateNetworkVehicleModelGuarantees"}

    def put(self, request, network_id, model_id):
        services.model_guarantee_set(network=self.network, model=self.model(), **self.body)
        return self.respond()


class SpeedSettings(NetworkView):
    operations = {"GET": "getNetworkSpeedSettings", "PUT": "updateNetworkSpeedSettings"}
    body_serializers = {"PUT": SpeedSettingsBody}
    output_serializers = {"GET": SpeedSettingsOut}

    def get(self, request, network_id):
        return self.respond_object(self.network_settings())

    def put(self, request, network_id):
        services.settings_update(network=self.network, **self.body)
        return self.respond()


class VehicleSettingsReset(NetworkView):
    """Queues the push of the network's settings to every vehicle in service (a Celery task, after commit)."""

    operations = {"POST": "resetNetworkVehicleSettings"}

    def post(self, request, network_id):
        services.vehicle_settings_push_request(network=self.network, actor=request.user)
        return self.respond()


class RentSettings(NetworkView):
    operations = {"GET": "getNetworkRentSettings", "PUT": "updateNetworkRentSettings"}
    output_serializers = {"GET": RentSettingsOut}

    def get(self, request, network_id):
        return self.respond_object(self.network_settings())

    def put(self, request, network_id):
        services.rent_settings_update(network=self.network, **self.body)
        return self.respond()


class RentTimings(NetworkView):
    operations = {"PUT": "updateNetworkRentTimings"}

    def put(self, request, network_id):
        services.settings_update(network=self.network, **self.body)
        return self.respond()


class FreefloatReward(NetworkView):
    operations = {"GET": "getNetworkFreefloatReward", "PUT": "updateNetworkFreefloatReward"}
    output_serializers = {"GET": FreefloatRewardOut}

    def get(self, request, network_id):
        return self.respond_object(self.network_settings())

    def put(self, request, network_id):
        services.settings_update(network=self.network, **self.body)
        return self.respond()
