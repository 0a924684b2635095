from apps.core.api.views import OperationView
from apps.fleet.models import Cluster

from .. import services
from ..models import VirtualParking
from ..selectors import with_parked_vehicles
from .serializers import CreateClusterParkingBody, CreateVirtualParkingBody, ParkingOut, UpdateVirtualParkingBody


class ClusterParkingCollection(OperationView):
    operations = {"GET": "listClusterParkings", "POST": "createClusterParking"}
    body_serializers = {"POST": CreateClusterParkingBody}
    output_serializers = {"GET": ParkingOut}
    queryset = Cluster.objects.all()

    def get(self, request, id):
        cluster = self.get_object()
        return self.respond_list(with_parked_vehicles(cluster.parkings.all()))

    def post(self, request, id):
        services.parking_create(cluster=self.get_object(), network=None, **self.body)
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
        return self.respond_list(with_parked_vehicles(parkings))

    def post(self, request):
        values = dict(self.body)
        parking = services.parking_create(network=values.pop("network_id"), **values)
        self.check_in_scope(parking)
        return self.respond_object(with_parked_vehicles([parking])[0])


class VirtualParkingDetail(OperationView):
    operations = {"PUT": "updateVirtualParking", "DELETE": "deleteVirtualParking"}
    body_serializers = {"PUT": UpdateVirtualParkingBody}
    queryset = VirtualParking.objects.all()

    def put(self, request, id):
        services.parking_update(parking=self.get_object(), **self.body)
        return self.respond()

    def delete(self, request, id):
        services.parking_delete(parking=self.get_object())
        return self.respond()
