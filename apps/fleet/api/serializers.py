from django.core.files.storage import default_storage
from rest_framework import serializers

from apps.core.api.outputs import IdNameOut
from apps.core.api.params import CatalogSerializer
from apps.networks.models import Network

from ..models import (
    Cluster,
    ClusterPicture,
    ExternalLock,
    FleetAlert,
    Maintenance,
    StationOutage,
    Vehicle,
    VehicleDecommission,
)


class VehicleRefOut(serializers.Serializer):
    """How other responses (trips, stations) name a vehicle."""

    id = serializers.IntegerField()
    serial_number = serializers.CharField()
    model_name = serializers.CharField(source="model.name")


class ClusterOut(serializers.ModelSerializer):
    location = serializers.CharField(source="address")
    station_count = serializers.IntegerField(help_text="Stations in service.")
    spot_count = serializers.IntegerField(help_text="Spots of the stations in service.")
    docked_vehicle_count = serializers.IntegerField(help_text="Vehicles docked, i.e. available at the cluster.")
    free_spot_count = serializers.SerializerMethodField(help_text="Spots without a vehicle.")

    class Meta:
        model = Cluster
        fields = ["id", "network_id", "name", "location", "latitude", "longitude", "badge_reader", "station_count",
                  "spot_count", "docked_vehicle_count", "free_spot_count", "commissioned_at", "decommissioned_at",
                  "created_at"]

    def get_free_spot_count(self, cluster) -> int:
        return max(cluster.spot_count - cluster.docked_vehicle_count, 0)


class ClusterSearchOut(serializers.ModelSerializer):
    location = serializers.CharField(source="address")

    class Meta:
        model = Cluster
        fields = ["id", "network_id", "name", "location", "latitude", "longitude", "badge_reader"]


class PictureOut(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ClusterPicture
        fields = ["key", "url", "content_type", "width", "height", "created_at"]

    def get_url(self, picture) -> str:
        return default_storage.url(picture.key)


class ClusterDetailOut(ClusterOut):
    description = serializers.SerializerMethodField(help_text="In the requested language; null when there is none.")
    pictures = PictureOut(many=True)

    class Meta(ClusterOut.Meta):
        fields = [*ClusterOut.Meta.fields, "max_unlock_distance", "comment", "description", "pictures", "updated_at"]

    def get_description(self, cluster) -> str | None:
        return cluster.localized[0].text if cluster.localized else None


class StationOutageOut(serializers.ModelSerializer):
    station = IdNameOut()
    duration = serializers.SerializerMethodField(help_text="Seconds; null while the outage lasts.")

    class Meta:
        model = StationOutage
        fields = ["id", "station", "reason", "started_at", "ended_at", "duration"]

    def get_duration(self, outage) -> int | None:
        return None if outage.ended_at is None else int((outage.ended_at - outage.started_at).total_seconds())


class EnergyDayOut(serializers.Serializer):
    date = serializers.DateField(help_text="A day in the requested time zone.")
    energy_wh = serializers.IntegerField(help_text="Watt-hours consumed that day.")


class ExternalLockOut(serializers.ModelSerializer):
    class Meta:
        model = ExternalLock
        fields = ["id", "vehicle_id", "model", "type", "serial_number", "code", "created_at"]


class DockOut(serializers.Serializer):
    cluster = IdNameOut(source="station.cluster")
    station = IdNameOut()
    spot_number = serializers.IntegerField(source="number")


class VehicleOut(serializers.ModelSerializer):
    model_name = serializers.CharField(source="model.name")
    docked_at = DockOut(source="spot", allow_null=True, help_text="Where the vehicle is docked; null when it is not.")
    in_trip = serializers.BooleanField(help_text="A trip is running (or on hold) on the vehicle.")

    class Meta:
        model = Vehicle
        fields = ["id", "serial_number", "model_name", "network_id", "battery_level", "latitude", "longitude",
                  "position_at", "docked_at", "in_trip", "created_at"]


class VehicleDetailOut(VehicleOut):
    external_lock = serializers.SerializerMethodField(help_text="The lock fitted now; null when there is none.")

    class Meta(VehicleOut.Meta):
        fields = [*VehicleOut.Meta.fields, "external_lock", "updated_at"]

    def get_external_lock(self, vehicle) -> dict | None:
        return ExternalLockOut(vehicle.active_locks[0]).data if vehicle.active_locks else None


class DecommissionOut(serializers.ModelSerializer):
    currency = serializers.CharField(source="currency_id")

    class Meta:
        model = VehicleDecommission
        fields = ["reason", "comment", "amount", "currency", "decommissioned_by_id", "created_at"]


class DecommissionedVehicleOut(serializers.ModelSerializer):
    model_name = serializers.CharField(source="model.name")
    decommission = DecommissionOut()

    class Meta:
        model = Vehicle
        fields = ["id", "serial_number", "model_name", "network_id", "decommissioned_at", "decommission"]


class ChangeVehicleNetworkBody(CatalogSerializer):
    operation_id = "changeVehicleNetwork"
    references = {"network_id": Network.objects.all()}


class RegisterExternalLockBody(CatalogSerializer):
    operation_id = "registerExternalLock"
    references = {"vehicle_id": Vehicle.objects.filter(decommissioned_at__isnull=True)}


class AlertUserOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()


class FleetAlertOut(serializers.ModelSerializer):
    vehicle = VehicleRefOut(allow_null=True)
    cluster = IdNameOut(allow_null=True)
    user = AlertUserOut(allow_null=True, help_text="The rider involved, if any.")

    class Meta:
        model = FleetAlert
        fields = ["id", "network_id", "alert_type", "severity", "message", "vehicle", "cluster", "user", "created_at",
                  "resolved_at", "resolved_by_id"]


class ResolveAlertsBody(CatalogSerializer):
    operation_id = "resolveFleetAlerts"
    references = {"alert_ids": FleetAlert.objects.all()}


class MaintenanceTypeOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.SerializerMethodField()
    target_type = serializers.CharField()
    severity = serializers.CharField()

    def get_label(self, maintenance_type) -> str:
        labels = getattr(self.context.get("view"), "labels", {})
        return labels.get(maintenance_type.key) or maintenance_type.key.replace("-", " ").replace("_", " ").capitalize()


class SpotRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    station = IdNameOut()


class MaintenanceOut(serializers.ModelSerializer):
    type = MaintenanceTypeOut()
    vehicle = VehicleRefOut(allow_null=True)
    spot = SpotRefOut(allow_null=True)
    station = IdNameOut(allow_null=True)
    cluster = serializers.SerializerMethodField(help_text="The cluster of the spot or station; null for a vehicle.")

    class Meta:
        model = Maintenance
        fields = ["id", "network_id", "type", "vehicle", "spot", "station", "cluster", "comment", "started_at",
                  "ended_at"]

    def get_cluster(self, maintenance) -> dict | None:
        station = maintenance.station or (maintenance.spot.station if maintenance.spot else None)
        return IdNameOut(station.cluster).data if station else None
