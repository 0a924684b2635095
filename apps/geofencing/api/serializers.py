from rest_framework import serializers

from apps.core.api.params import CatalogSerializer, StrictIntegerField
from apps.core.geo import ShapeField, ShapeOut
from apps.fleet.api.serializers import VehicleRefOut
from apps.networks.models import Network


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


class CreateVirtualParkingBody(CatalogSerializer):
    operation_id = "createVirtualParking"
    shape = ShapeField()
    # The seed allows null; a parking of no network would be outside every tenant, so it is refused.
    network_id = StrictIntegerField(min_value=1)
    references = {"network_id": Network.objects.all()}


class UpdateVirtualParkingBody(CatalogSerializer):
    operation_id = "updateVirtualParking"
    shape = ShapeField()
