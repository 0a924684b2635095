from apps.core.api.views import OperationView
from apps.fleet.models import Cluster
from apps.networks.models import Network

from .. import services
from ..models import SpeedZone, VirtualParking
from ..selectors import network_border, with_parked_vehicles
from .serializers import (
    BorderOut,
    BorderSettingsBody,
    BorderShapeBody,
    CreateClusterParkingBody,
    CreateSpeedZoneBody,
    CreateVirtualParkingBody,
    ParkingOut,
    SpeedZoneOut,
    UpdateSpeedZoneBody,
    UpdateVirtualParkingBody,
)


class ClusterParkingCollection(OperationView):
    operations = {"GET": "listClusterParkings", "POST": "createClusterParking"}
    body_serializers = {"POST": CreateClusterParkingBody}
    output_serializers = {"GET": ParkingOut}
    queryset = Cluster.objects.all()

    def get(self, request, id):
        cluster = self.get_object()
        return self.respond_list(with_parked_vehicles(parkings=cluster.parkings.all()))

    def post(self, request, id):
        services.parking_create(
            cluster=self.get_object(), network=None, capacity=self.body["capacity"], shape=self.body["shape"])
        return self.respond()  # the seed answers { "code": 0 } here; listClusterParkings shows the result


class VirtualParkingCollection(OperationView):
    operations = {"GET": "listVirtualParkings", "POST": "createVirtualParking"}
    body_serializers = {"POST": CreateVirtualParkingBody}
    output_serializers = {"GET": ParkingOut, "POST": ParkingOut}
    queryset = VirtualParking.objects.all()

    def get(self, request):
        network_id = self.query["network_id"]
        self.require_networks([network_id])
        parkings = self.get_queryset().filter(network_id=network_id).order_by("id")
        return self.respond_list(with_parked_vehicles(parkings=parkings))

    def post(self, request):
        values = dict(self.body)
        parking = services.parking_create(network=values.pop("network_id"), **values)
        self.check_in_scope(parking)
        return self.respond_object(with_parked_vehicles(parkings=[parking])[0])


class VirtualParkingDetail(OperationView):
    operations = {"PUT": "updateVirtualParking", "DELETE": "deleteVirtualParking"}
    body_serializers = {"PUT": UpdateVirtualParkingBody}
    queryset = VirtualParking.objects.all()

    def put(self, request, id):
        services.parking_update(parking=self.get_object(), capacity=self.body["capacity"], shape=self.body["shape"])
        return self.respond()

    def delete(self, request, id):
        services.parking_delete(parking=self.get_object())
        return self.respond()


class NetworkBorderView(OperationView):
    operations = {"GET": "getNetworkBorder"}
    output_serializers = {"GET": BorderOut}
    queryset = Network.objects.all()

    def get(self, request):
        self.require_networks([self.query["network_id"]])
        return self.respond_object(network_border(network=self.get_object(pk=self.query["network_id"])))


class NetworkBorderShape(OperationView):
    operations = {"PUT": "updateNetworkBorderShape"}
    body_serializers = {"PUT": BorderShapeBody}

    def put(self, request):
        services.border_set_shape(network=self.body["network_id"], shape=self.body["shape"])
        return self.respond()


class NetworkBorderSettings(OperationView):
    operations = {"PUT": "updateNetworkBorderSettings"}
    body_serializers = {"PUT": BorderSettingsBody}

    def put(self, request):
        flags = dict(self.body)
        services.border_update_settings(network=flags.pop("network_id"), **flags)
        return self.respond()


class SpeedZoneCollection(OperationView):
    operations = {"GET": "listSpeedZones", "POST": "createSpeedZone", "PUT": "updateSpeedZone"}
    body_serializers = {"POST": CreateSpeedZoneBody, "PUT": UpdateSpeedZoneBody}
    output_serializers = {"GET": SpeedZoneOut}
    queryset = SpeedZone.objects.in_force()

    def get(self, request):
        network_id = self.query["network_id"]
        self.require_networks([network_id])
        return self.respond_list(self.get_queryset().filter(network_id=network_id).order_by("id"))

    def post(self, request):
        values = dict(self.body)
        services.speed_zone_create(network=values.pop("network_id"), **values)
        return self.respond()

    def put(self, request):
        values = dict(self.body)
        services.speed_zone_update(zone=values.pop("speed_zone_id"), **values)
        return self.respond()


class SpeedZoneDetail(OperationView):
    operations = {"DELETE": "deleteSpeedZone"}
    queryset = SpeedZone.objects.in_force()

    def delete(self, request, id):
        services.speed_zone_delete(zone=self.get_object())
        return self.respond()
