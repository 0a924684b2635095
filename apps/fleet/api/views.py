from django.db.models import Prefetch
from rest_framework import serializers

from apps.core.api.views import OperationView

from .. import services
from ..models import Cluster, Spot, Station, StationOutage
from ..selectors import cluster_detail, cluster_search, station_energy_per_day, with_availability
from .serializers import (
    ClusterDetailOut,
    ClusterOut,
    ClusterSearchOut,
    EnergyDayOut,
    StationOutageOut,
    VehicleRefOut,
)


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


class ClusterCollection(OperationView):
    operations = {"GET": "listClusters"}
    output_serializers = {"GET": ClusterOut}
    queryset = Cluster.objects.all()

    def get(self, request):
        networks = self.query["networks"]
        self.require_networks(networks)
        clusters = with_availability(self.get_queryset().filter(network_id__in=networks))
        return self.respond_list(clusters.order_by("network_id", "name", "id"))


class ClusterSearch(OperationView):
    operations = {"GET": "searchClusters"}
    output_serializers = {"GET": ClusterSearchOut}
    queryset = Cluster.objects.all()

    def get(self, request):
        networks = self.query["networks"]
        self.require_networks(networks)
        clusters = self.get_queryset().filter(network_id__in=networks)
        return self.respond_list(cluster_search(clusters, name=self.query["name"],
                                                badge_reader=self.query.get("badge_reader")))


class ClusterDetail(OperationView):
    operations = {"GET": "getCluster", "DELETE": "decommissionCluster"}
    output_serializers = {"GET": ClusterDetailOut}
    queryset = Cluster.objects.all()

    def get(self, request, id):
        return self.respond_object(self.get_object(queryset=cluster_detail(self.get_queryset(), lang=self.query["lang"])))

    def delete(self, request, id):
        services.cluster_decommission(cluster=self.get_object())
        return self.respond()


class ClusterPictures(OperationView):
    operations = {"POST": "addClusterPicture", "DELETE": "deleteClusterPicture"}
    queryset = Cluster.objects.all()

    def post(self, request, id):
        services.cluster_add_picture(cluster=self.get_object(), cluster_picture=self.body["cluster_picture"])
        return self.respond()

    def delete(self, request, id):
        services.cluster_delete_picture(cluster=self.get_object(), key=self.query["picture"])
        return self.respond()


class ClusterCommissioningDate(OperationView):
    operations = {"PUT": "setClusterCommissioningDate"}
    queryset = Cluster.objects.all()

    def put(self, request, id):
        services.cluster_set_commissioning_date(cluster=self.get_object(), date=self.body["date"])
        return self.respond()


class ClusterLocation(OperationView):
    operations = {"PUT": "updateClusterLocation"}
    queryset = Cluster.objects.all()

    def put(self, request, id):
        services.cluster_update(cluster=self.get_object(), address=self.body["location"])
        return self.respond()


class ClusterSettings(OperationView):
    operations = {"PUT": "updateClusterSettings"}
    queryset = Cluster.objects.all()

    def put(self, request, id):
        services.cluster_update(cluster=self.get_object(), **self.body)
        return self.respond()


class ClusterDescriptionView(OperationView):
    operations = {"PUT": "updateClusterDescription"}
    queryset = Cluster.objects.all()

    def put(self, request, id):
        services.cluster_set_description(cluster=self.get_object(), **self.body)
        return self.respond()


class ClusterOutageList(OperationView):
    """Outages of every station of the cluster (retired stations included), latest first."""

    operations = {"GET": "listClusterStationOutages"}
    output_serializers = {"GET": StationOutageOut}
    queryset = Cluster.objects.all()

    def get(self, request, id):
        cluster = self.get_object()
        outages = StationOutage.objects.filter(station__cluster=cluster).select_related("station")
        return self.respond_list(outages.order_by("-started_at", "-id"))


class StationDecommission(OperationView):
    operations = {"POST": "decommissionStation"}
    queryset = Station.objects.all()

    def post(self, request, id):
        services.station_decommission(station=self.get_object())
        return self.respond()


class StationEnergyConsumption(OperationView):
    operations = {"GET": "getStationEnergyConsumption"}
    output_serializers = {"GET": EnergyDayOut}
    queryset = Station.objects.all()

    def get(self, request, id):
        days = station_energy_per_day(station=self.get_object(), start_date=self.query["start_date"],
                                      end_date=self.query["end_date"], timezone_name=self.query["timezone"])
        return self.respond_list(days)
