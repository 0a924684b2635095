from datetime import timedelta

from django.http import HttpResponse
from rest_framework import serializers

from apps.core.api.renderers import enveloped_json_lines, writes_plain_json
from apps.core.api.views import OperationView
from apps.core.exceptions import ValidationFailed
from apps.core.prepared import copied_as_csv, copied_as_json_lines

from ..models import TelemetryMessage

MAX_RANGE = timedelta(hours=24)
POINT_FIELDS = ("id", "message_id", "recorded_at", "received_at", "latitude", "longitude", "battery", "locked",
                "speed", "odometer", "error_codes")
CSV = "text/csv"
# The CSV's columns over the page's rows (`page`): times in UTC as PostgreSQL writes them, error codes joined by
# spaces, and the gateway's own text guarded against spreadsheet formulas (a leading = + - @ gets a quote, as
# apps.core.exports does).
CSV_COLUMNS = {
    "id": "page.id",
    "message_id": "CASE WHEN page.message_id ~ '^[-=+@\t\r]' THEN '''' || page.message_id ELSE page.message_id END",
    "recorded_at": "page.recorded_at", "received_at": "page.received_at", "latitude": "page.latitude",
    "longitude": "page.longitude", "battery": "page.battery", "locked": "page.locked", "speed": "page.speed",
    "odometer": "page.odometer",
    "error_codes": "CASE WHEN array_to_string(page.error_codes, ' ') ~ '^[-=+@\t\r]' "
                   "THEN '''' || array_to_string(page.error_codes, ' ') ELSE array_to_string(page.error_codes, ' ') END",
}


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
    also_as = {"GET": {CSV: "The same messages as CSV (`Accept: text/csv`): a header row, then a row per message, "
                            "times in UTC, error codes separated by spaces."}}
    queryset = TelemetryMessage.objects.all()

    def perform_content_negotiation(self, request, force=False):
        # Accept: text/csv names no DRF renderer: the view answers it itself, rather than a 406.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request):
        low, high = self.query["from"], self.query["to"]
        if not low < high <= low + MAX_RANGE:
            raise ValidationFailed.on("to", "`to` must be after `from`, at most 24 hours after it.")
        rows = (self.get_queryset().filter(vehicle_id=self.query["vehicle_id"], recorded_at__gte=low,
                                           recorded_at__lt=high)
                .order_by("recorded_at", "id").values(*POINT_FIELDS)[:self.query["limit"]])
        sql, params = rows.query.sql_with_params()
        if CSV in request.META.get("HTTP_ACCEPT", ""):
            # A busy vehicle's day (17,280 messages) as CSV written by PostgreSQL: no Python object per value,
            # where a JSON answer built in Python makes ~200,000 of them (docs/telemetry.md).
            columns = ", ".join(f"{expression} AS {name}" for name, expression in CSV_COLUMNS.items())
            body = copied_as_csv(TelemetryMessage, f"SELECT {columns} FROM ({sql}) AS page "
                                                   "ORDER BY page.recorded_at, page.id", params)
            return HttpResponse(body, content_type=f"{CSV}; charset=utf-8")
        if writes_plain_json(request):
            # The same for JSON: PostgreSQL writes each message's object (half the time of Python's rows and
            # dicts, and none of the garbage they leave to collect).
            body = enveloped_json_lines(copied_as_json_lines(TelemetryMessage, sql, params,
                                                             order_by="line.recorded_at, line.id"),
                                        times_per_row=2)
            if body is not None:
                return HttpResponse(body, content_type="application/json")
        return self.respond(list(rows))  # plain rows: a day of messages without a serializer per row
