from datetime import timedelta

from rest_framework import serializers

from apps.core.api.views import OperationView
from apps.core.exceptions import ValidationFailed
from apps.fleet.models import IotCommand, Vehicle

from ..models import TelemetryMessage
from ..services import vehicle_command_send

MAX_RANGE = timedelta(hours=24)
POINT_FIELDS = ("id", "message_id", "recorded_at", "received_at", "latitude", "longitude", "battery", "locked",
                "speed", "odometer", "error_codes")


class TelemetryPointOut(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    received_at = serializers.DateTimeField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    battery = serializers.IntegerField(allow_null=True, help_text="Percent.")
    locked = serializers.BooleanField(allow_null=True)
    speed = serializers.FloatField(allow_null=True, help_text="km/h.")
    odometer = serializers.IntegerField(allow_null=True, help_text="Meters.")
    error_codes = serializers.ListField(child=serializers.CharField())


class CommandOut(serializers.ModelSerializer):
    requested_by = serializers.EmailField(source="requested_by.email", allow_null=True, default=None)

    class Meta:
        model = IotCommand
        fields = ["id", "vehicle_id", "network_id", "command", "payload", "status", "source", "requested_by",
                  "attempts", "max_attempts", "timeout", "sent_at", "deadline", "answered_at", "late", "error"]


class VehicleTelemetryList(OperationView):
    operations = {"GET": "listVehicleTelemetry"}
    output_serializers = {"GET": TelemetryPointOut}
    queryset = TelemetryMessage.objects.all()

    def get(self, request):
        low, high = self.query["from"], self.query["to"]
        if not low < high <= low + MAX_RANGE:
            raise ValidationFailed.on("to", "Must be after `from`, at most 24 hours after it.")
        rows = (self.get_queryset().filter(vehicle_id=self.query["vehicle_id"], recorded_at__gte=low,
                                           recorded_at__lt=high)
                .order_by("recorded_at", "id").values(*POINT_FIELDS)[:self.query["limit"]])
        return self.respond(list(rows))  # plain rows: a day of messages without a serializer per row


class VehicleCommandList(OperationView):
    operations = {"GET": "listVehicleCommands"}
    output_serializers = {"GET": CommandOut}
    queryset = IotCommand.objects.select_related("requested_by")

    def get(self, request):
        return self.respond_page(self.get_queryset().filter(vehicle_id=self.query["vehicle_id"]))


class VehicleCommandSend(OperationView):
    operations = {"POST": "sendVehicleCommand"}
    output_serializers = {"POST": CommandOut}
    queryset = Vehicle.objects.all()

    def post(self, request, id):
        return self.respond_object(vehicle_command_send(vehicle=self.get_object(), command=self.body["command"],
                                                        requested_by=request.user))


class VehicleMaxSpeed(OperationView):
    operations = {"POST": "setVehicleMaxSpeed"}
    output_serializers = {"POST": CommandOut}
    queryset = Vehicle.objects.all()

    def post(self, request, id):
        return self.respond_object(vehicle_command_send(
            vehicle=self.get_object(), command="set_max_speed", payload={"max_speed": self.body["max_speed"]},
            requested_by=request.user))
