from django.core.files.storage import default_storage
from rest_framework import serializers

from apps.core.api.outputs import IdNameOut

from ..models import Cluster, ClusterPicture, StationOutage


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
