from rest_framework import serializers

from apps.applabels.models import AppLabel
from apps.core.api.outputs import IdNameOut
from apps.core.api.params import CatalogSerializer, check_like_pattern
from apps.organizations.models import Organization

from ..models import NetworkAccessRule, NetworkSettings, VehicleModelGuarantee, VehicleModelSettings

SPEED_FIELDS = ["default_low_speed", "default_medium_speed", "default_high_speed", "min_battery_to_slow_down",
                "battery_slow_down_speed"]
RENT_FIELDS = ["first_purchase_required", "min_battery_to_rent", "max_simultaneous_rented_vehicle", "trip_on_hold",
               "credit_depletion_auto_lock", "min_battery_to_auto_lock"]
TIMING_FIELDS = ["trip_too_long_notifications", "trip_too_long_notifications_frequency", "vehicle_stolen",
                 "trip_auto_pause", "trip_max_pause", "trip_auto_lock"]
FREEFLOAT_FIELDS = ["freefloat_to_station_discount_per_km", "freefloat_to_station_free_credits",
                    "freefloat_to_receiver_station_free_credits", "freefloat_to_station_min_battery"]


def _amount(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=False, **kwargs)  # the column


class AccessRuleOut(serializers.ModelSerializer):
    organization = IdNameOut(allow_null=True)
    app_label = IdNameOut(allow_null=True)

    class Meta:
        model = NetworkAccessRule
        fields = ["id", "email_pattern", "organization", "app_label", "created_at"]


class AccessRuleBody(CatalogSerializer):
    references = {"organization": Organization.objects.all(), "app_label": AppLabel.objects.all()}

    def validate_email_pattern(self, pattern):
        return check_like_pattern(pattern)


class CreateAccessRuleBody(AccessRuleBody):
    operation_id = "createNetworkAccessRule"


class UpdateAccessRuleBody(AccessRuleBody):
    operation_id = "updateNetworkAccessRule"


class SpeedSettingsOut(serializers.ModelSerializer):
    class Meta:
        model = NetworkSettings
        fields = SPEED_FIELDS


class RentSettingsOut(serializers.ModelSerializer):
    default_vehicle_guarantee = _amount(source="network.default_vehicle_guarantee")
    trip_to_skip_pre_auth_guarantee = serializers.IntegerField(source="network.trip_to_skip_pre_auth_guarantee")
    currency = serializers.CharField(source="network.currency_id")
    sponsoring_reward = _amount()
    sponsored_reward = _amount()

    class Meta:
        model = NetworkSettings
        fields = ["default_vehicle_guarantee", "trip_to_skip_pre_auth_guarantee", *RENT_FIELDS, *TIMING_FIELDS,
                  "sponsoring_reward", "sponsored_reward", "currency"]


class FreefloatRewardOut(serializers.ModelSerializer):
    freefloat_to_station_discount_per_km = _amount(allow_null=True)
    freefloat_to_station_free_credits = _amount(allow_null=True)
    freefloat_to_receiver_station_free_credits = _amount(allow_null=True)

    class Meta:
        model = NetworkSettings
        fields = FREEFLOAT_FIELDS


class ModelSettingsOut(serializers.ModelSerializer):
    model = IdNameOut()

    class Meta:
        model = VehicleModelSettings
        fields = ["model", "auto_light", "speed_mode", "updated_at"]


class ModelGuaranteeOut(serializers.ModelSerializer):
    model = IdNameOut()
    guarantee = _amount()
    pre_auth = _amount()

    class Meta:
        model = VehicleModelGuarantee
        fields = ["model", "guarantee", "pre_auth", "updated_at"]


class SpeedSettingsBody(CatalogSerializer):
    # The seed says only "integer": bounded here to what a shared vehicle can do (km/h) and to percentages.
    operation_id = "updateNetworkSpeedSettings"
    default_low_speed = serializers.IntegerField(min_value=1, max_value=45)
    default_medium_speed = serializers.IntegerField(min_value=1, max_value=45)
    default_high_speed = serializers.IntegerField(min_value=1, max_value=45)
    min_battery_to_slow_down = serializers.IntegerField(min_value=1, max_value=100, allow_null=True)
    battery_slow_down_speed = serializers.IntegerField(min_value=1, max_value=45, allow_null=True)
