from django.db.models import Prefetch
from rest_framework import serializers

from apps.core.api.views import OperationView

from ..models import Cluster, Spot, Station
from .serializers import VehicleRefOut


class SpotOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    vehicle = serializers.SerializerMethodField()

    def get_vehicle(self, spot) -> dict | None:
        vehicle = getattr(spot, "vehicle", None)
        return VehicleRefOut(vehicle).data if vehicle is not None else None


class StationOut(serializers.ModelSerializer):
    spots = SpotOut(many=True)

    class Meta:
        model = Station
        fields = ["id", "name", "serial_number", "spots"]


class ClusterStationList(OperationView):
    """Stations in service of a cluster, with their spots and the vehicle docked in each."""

    operations = {"GET": "listClusterStations"}
    output_serializers = {"GET": StationOut}
    queryset = Cluster.objects.all()

    def get(self, request, id):
        cluster = self.get_object()
        spots = Spot.objects.select_related("vehicle__model").order_by("number")
        stations = (cluster.stations.filter(decommissioned_at__isnull=True).order_by("name", "id")
                    .prefetch_related(Prefetch("spots", queryset=spots)))
        return self.respond_list(stations)
