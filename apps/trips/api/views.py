from rest_framework import serializers

from apps.core.api.outputs import IdNameOut
from apps.core.api.views import OperationView
from apps.fleet.api.serializers import VehicleRefOut

from ..models import Trip
from ..selectors import trip_list


class RiderOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    firstname = serializers.CharField()
    lastname = serializers.CharField()


class TripOut(serializers.ModelSerializer):
    start_date = serializers.DateTimeField(source="started_at")
    end_date = serializers.DateTimeField(source="ended_at", allow_null=True)
    user = RiderOut(source="rider")
    vehicle = VehicleRefOut()
    cluster_start = IdNameOut(source="start_cluster", allow_null=True)
    cluster_end = IdNameOut(source="end_cluster", allow_null=True)

    class Meta:
        model = Trip
        fields = ["id", "guid", "network_id", "state", "start_date", "end_date", "duration", "distance", "demo",
                  "user", "vehicle", "cluster_start", "cluster_end"]


class TripList(OperationView):
    operations = {"GET": "listTrips"}
    output_serializers = {"GET": TripOut}
    sort_fields = {"start_date": "started_at", "end_date": "ended_at", "duration": "duration", "distance": "distance"}
    queryset = Trip.objects.all()

    def get(self, request):
        return self.respond_page(trip_list(self.get_network_queryset(), self.query))


class TripDetail(OperationView):
    operations = {"GET": "getTrip"}
    output_serializers = {"GET": TripOut}
    queryset = Trip.objects.select_related("rider", "vehicle__model", "start_cluster", "end_cluster")

    def get(self, request, id):
        return self.respond_object(self.get_object())
