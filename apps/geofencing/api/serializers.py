from rest_framework import serializers

from apps.core.api.params import BIGINT_MAX, CatalogSerializer, StrictIntegerField
from apps.core.geo import ShapeField, ShapeOut
from apps.fleet.api.serializers import VehicleRefOut
from apps.networks.models import Network

from ..models import BorderSettings, SpeedZone


class ParkingOut(ShapeOut):
    id = serializers.IntegerField()
    network_id = serializers.IntegerField()
    cluster_id = serializers.IntegerField(allow_null=True, help_text="Empty for a standalone parking.")
    capacity = serializers.IntegerField()
    vehicles = VehicleRefOut(many=True, help_text="Active undocked vehicles whose last position is inside.")
    free_places = serializers.SerializerMethodField(help_text="Capacity minus the vehicles inside (never below 0).")
    created_at = serializers.DateTimeField()

    def get_free_places(self, parking) -> int:
        return max(parking.capacity - len(parking.vehicles), 0)


class CreateClusterParkingBody(CatalogSerializer):
    operation_id = "createClusterParking"
    shape = ShapeField()


class NetworkBodyMixin(serializers.Serializer):
    # Whole and never null (the seed says "number", or for parkings "integer or null"): an area of no network
    # would be outside every tenant.
    network_id = StrictIntegerField(min_value=1, max_value=BIGINT_MAX)
    references = {"network_id": Network.objects.all()}


class CreateVirtualParkingBody(NetworkBodyMixin, CatalogSerializer):
    operation_id = "createVirtualParking"
    shape = ShapeField()


class UpdateVirtualParkingBody(CatalogSerializer):
    operation_id = "updateVirtualParking"
    shape = ShapeField()


class BorderSettingsOut(serializers.ModelSerializer):
    class Meta:
        model = BorderSettings
        fields = ["trigger_alert", "notify_user", "reduce_vehicle_speed", "play_vehicle_sound", "lock_vehicle"]


class BorderOut(serializers.Serializer):
    network_id = serializers.IntegerField()
    shape = serializers.JSONField(allow_null=True, help_text="[[latitude, longitude], ...]; null until drawn.")
    geojson = serializers.JSONField(allow_null=True)
    settings = BorderSettingsOut()


class SpeedZoneOut(ShapeOut):
    id = serializers.IntegerField()
    network_id = serializers.IntegerField()
    max_speed = serializers.IntegerField(help_text="km/h")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class BorderShapeBody(NetworkBodyMixin, CatalogSerializer):
    operation_id = "updateNetworkBorderShape"
    shape = ShapeField()


class BorderSettingsBody(NetworkBodyMixin, CatalogSerializer):
    operation_id = "updateNetworkBorderSettings"


class CreateSpeedZoneBody(NetworkBodyMixin, CatalogSerializer):
    operation_id = "createSpeedZone"
    shape = ShapeField()


class UpdateSpeedZoneBody(CatalogSerializer):
    operation_id = "updateSpeedZone"
    shape = ShapeField(required=False)
    references = {"speed_zone_id": SpeedZone.objects.in_force()}
