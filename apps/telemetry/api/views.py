from datetime import timedelta

from rest_framework import serializers

from apps.core.api.views import OperationView
from apps.core.exceptions import ValidationFailed

from ..models import TelemetryMessage

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


class VehicleTelemetryList(OperationView):
    operations = {"GET": "listVehicleTelemetry"}
    output_serializers = {"GET": TelemetryPointOut}
    queryset = TelemetryMessage.objects.all()

    def get(self, request):
        low, high = self.query["from"], self.query["to"]
        if not low < high <= low + MAX_RANGE:
            raise ValidationFailed.on("to", "`to` must be after `from`, at most 24 hours after it.")
        rows = (self.get_queryset().filter(vehicle_id=self.query["vehicle_id"], recorded_at__gte=low,
                                           recorded_at__lt=high)
                .order_by("recorded_at", "id").values(*POINT_FIELDS)[:self.query["limit"]])
        return self.respond(list(rows))  # plain rows: a day of messages without a serializer per row
