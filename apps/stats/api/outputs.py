"""What the statistics, overview and heatmap operations answer in `data` (documentation of plain dicts built by
apps.stats.daily / selectors / overview; the fuzzer checks every answer against these)."""
from rest_framework import serializers

from apps.core.api.outputs import IdNameOut
from apps.trips.models import PaymentMode


class UsagePeriodOut(serializers.Serializer):
    period = serializers.ChoiceField(choices=["day", "week", "month", "quarter"],
                                     help_text="Chosen from the length of the requested period.")
    date = serializers.DateField(help_text="First day of the period.")
    trip_count = serializers.IntegerField()
    unique_users = serializers.IntegerField()


class UsageSummaryOut(serializers.Serializer):
    trip_count = serializers.IntegerField()
    unique_users = serializers.IntegerField()
    rented_vehicles = serializers.IntegerField()
    total_distance = serializers.IntegerField(help_text="Meters.")
    average_distance = serializers.IntegerField(allow_null=True)
    median_distance = serializers.IntegerField(allow_null=True)
    max_distance = serializers.IntegerField(allow_null=True)
    total_duration = serializers.IntegerField(help_text="Seconds.")
    average_duration = serializers.IntegerField(allow_null=True)
    median_duration = serializers.IntegerField(allow_null=True)
    max_duration = serializers.IntegerField(allow_null=True)


class DowOut(serializers.Serializer):
    dow = serializers.IntegerField(min_value=0, max_value=6, help_text="0 is Sunday.")
    trip_count = serializers.IntegerField()


class HourOut(serializers.Serializer):
    hour = serializers.IntegerField(min_value=0, max_value=23)
    trip_count = serializers.IntegerField()


ModeCountsOut = type("ModeCountsOut", (serializers.Serializer,), {
    mode: serializers.IntegerField() for mode in PaymentMode.values})


class BucketOut(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField(allow_null=True, help_text="Null for the last, open bucket.")
    counts = ModeCountsOut(help_text="Trips of the bucket per payment mode.")


class StationCountOut(serializers.Serializer):
    cluster = IdNameOut()
    network_id = serializers.IntegerField()
    started = serializers.IntegerField()
    ended = serializers.IntegerField()


class StationsOverviewOut(serializers.Serializer):
    cluster_count = serializers.IntegerField()
    station_count = serializers.IntegerField()
    spot_count = serializers.IntegerField()
    docked_vehicle_count = serializers.IntegerField()
    free_spot_count = serializers.IntegerField()
    stations_in_outage = serializers.IntegerField()


class ModelCountOut(serializers.Serializer):
    model = serializers.CharField()
    count = serializers.IntegerField()


class VehiclesOverviewOut(serializers.Serializer):
    vehicle_count = serializers.IntegerField()
    docked = serializers.IntegerField()
    free_floating = serializers.IntegerField()
    low_battery = serializers.IntegerField()
    in_trip = serializers.IntegerField()
    in_maintenance = serializers.IntegerField()
    in_stock = serializers.IntegerField()
    open_alerts = serializers.IntegerField()
    by_model = ModelCountOut(many=True)


class TripsOverviewOut(serializers.Serializer):
    today = serializers.IntegerField()
    yesterday = serializers.IntegerField()
    last_7_days = serializers.IntegerField()
    last_30_days = serializers.IntegerField()
    running = serializers.IntegerField()
    on_hold = serializers.IntegerField()


class UsersOverviewOut(serializers.Serializer):
    active_today = serializers.IntegerField()
    active_7_days = serializers.IntegerField()
    active_30_days = serializers.IntegerField()
    riders = serializers.IntegerField(help_text="Riders with a finished trip in the networks.")
    new_30_days = serializers.IntegerField(help_text="Of those, the ones whose first finished trip is recent.")


class MapClusterOut(serializers.Serializer):
    id = serializers.IntegerField()
    network_id = serializers.IntegerField()
    name = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    docked_vehicle_count = serializers.IntegerField()
    spot_count = serializers.IntegerField()


class MapVehicleOut(serializers.Serializer):
    id = serializers.IntegerField()
    network_id = serializers.IntegerField()
    serial_number = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    battery_level = serializers.IntegerField(allow_null=True)


class OverviewMapOut(serializers.Serializer):
    clusters = MapClusterOut(many=True)
    vehicles = MapVehicleOut(many=True)


class HeatPointOut(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    date = serializers.DateField(help_text="First day of the month, in the time zone of the trip's network.")
    count = serializers.IntegerField()
