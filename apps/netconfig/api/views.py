"""Per-network settings. Every path starts with the network, which must be inside the caller's scope (-5)."""
from apps.core.models import UNSET
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
        return self.respond(services.access_rule_save(
            network=self.network, email_pattern=self.body.get("email_pattern"),
            organization=self.body.get("organization"),
            app_label=self.body.get("app_label")).pk)  # the seed: data = id


class AccessRuleDetail(NetworkView):
    operations = {"PUT": "updateNetworkAccessRule", "DELETE": "deleteNetworkAccessRule"}
    body_serializers = {"PUT": UpdateAccessRuleBody}

    def rule(self) -> NetworkAccessRule:
        return self.get_object(pk=self.kwargs["rid"], queryset=self.scoped(
            NetworkAccessRule.objects.filter(network=self.network)))

    def put(self, request, network_id, rid):
        services.access_rule_save(
            network=self.network, rule=self.rule(), email_pattern=self.body["email_pattern"],
            organization=self.body["organization"], app_label=self.body["app_label"])
        return self.respond()

    def delete(self, request, network_id, rid):
        self.rule().delete()
        return self.respond()


class Sponsorship(NetworkView):
    operations = {"PUT": "updateNetworkSponsorship"}

    def put(self, request, network_id):
        services.settings_update(
            network=self.network, sponsoring_reward=self.body["sponsoring_reward"],
            sponsored_reward=self.body["sponsored_reward"])
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
        services.model_settings_set(
            network=self.network, model=self.model(), auto_light=self.body["auto_light"],
            speed_mode=self.body["speed_mode"])
        return self.respond()


class ModelGuarantee(ModelView):
    operations = {"PUT": "updateNetworkVehicleModelGuarantees"}

    def put(self, request, network_id, model_id):
        services.model_guarantee_set(
            network=self.network, model=self.model(), guarantee=self.body["guarantee"],
            pre_auth=self.body["pre_auth"])
        return self.respond()


class SpeedSettings(NetworkView):
    operations = {"GET": "getNetworkSpeedSettings", "PUT": "updateNetworkSpeedSettings"}
    body_serializers = {"PUT": SpeedSettingsBody}
    output_serializers = {"GET": SpeedSettingsOut}

    def get(self, request, network_id):
        return self.respond_object(self.network_settings())

    def put(self, request, network_id):
        services.settings_update(
            network=self.network, default_low_speed=self.body["default_low_speed"],
            default_medium_speed=self.body["default_medium_speed"],
            default_high_speed=self.body["default_high_speed"],
            min_battery_to_slow_down=self.body["min_battery_to_slow_down"],
            battery_slow_down_speed=self.body["battery_slow_down_speed"])
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
        services.rent_settings_update(
            network=self.network, default_vehicle_guarantee=self.body["default_vehicle_guarantee"],
            trip_to_skip_pre_auth_guarantee=self.body["trip_to_skip_pre_auth_guarantee"],
            first_purchase_required=self.body["first_purchase_required"],
            min_battery_to_rent=self.body["min_battery_to_rent"],
            max_simultaneous_rented_vehicle=self.body["max_simultaneous_rented_vehicle"],
            trip_on_hold=self.body["trip_on_hold"],
            credit_depletion_auto_lock=self.body["credit_depletion_auto_lock"],
            min_battery_to_auto_lock=self.body["min_battery_to_auto_lock"])
        return self.respond()


class RentTimings(NetworkView):
    operations = {"PUT": "updateNetworkRentTimings"}

    def put(self, request, network_id):
        services.settings_update(
            network=self.network, trip_too_long_notifications=self.body["trip_too_long_notifications"],
            trip_too_long_notifications_frequency=self.body["trip_too_long_notifications_frequency"],
            vehicle_stolen=self.body["vehicle_stolen"], trip_auto_pause=self.body["trip_auto_pause"],
            trip_max_pause=self.body["trip_max_pause"], trip_auto_lock=self.body["trip_auto_lock"])
        return self.respond()


class FreefloatReward(NetworkView):
    operations = {"GET": "getNetworkFreefloatReward", "PUT": "updateNetworkFreefloatReward"}
    output_serializers = {"GET": FreefloatRewardOut}

    def get(self, request, network_id):
        return self.respond_object(self.network_settings())

    def put(self, request, network_id):
        services.settings_update(
            network=self.network,
            freefloat_to_station_discount_per_km=self.body.get("freefloat_to_station_discount_per_km", UNSET),
            freefloat_to_station_free_credits=self.body.get("freefloat_to_station_free_credits", UNSET),
            freefloat_to_receiver_station_free_credits=self.body.get("freefloat_to_receiver_station_free_credits", UNSET),
            freefloat_to_station_min_battery=self.body.get("freefloat_to_station_min_battery", UNSET))
        return self.respond()
