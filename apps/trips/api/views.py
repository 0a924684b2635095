from django.db.models import Count, F, Max, Min, Q, Sum, TextField
from django.db.models.functions import Cast
from rest_framework import serializers

from apps.accounts.models import User
from apps.core.api.outputs import IdNameOut
from apps.core.api.pagination import Part
from apps.core.api.rows import JsonNumber, RowsById, in_current_zone
from apps.core.api.views import OperationView
from apps.fleet.api.serializers import VehicleRefOut
from apps.fleet.models import Cluster, Vehicle
from apps.networks.models import Network
from apps.riders.api.serializers import NetworkFiguresOut
from apps.riders.api.views import RiderView
from apps.support.models import Report

from .. import services
from ..models import Trip, TripState
from ..selectors import (found_then_sorted_below, implied_bounds, show_live_durations, spread_of, trip_conditions,
                         trip_totals, vehicle_statistics, vehicle_timeline, with_model_resolved)


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
        fields = ["id", "guid", "network_id", "state", "start_date", "end_date", "duration", "running_duration",
                  "distance", "amount", "discount_amount", "billing_stop_at", "payment_status", "demo",
                  "user", "vehicle", "cluster_start", "cluster_end"]


# listTrips reads its page as plain rows and builds TripOut's representation from them (apps.core.api.rows; a test
# holds both equal), a third of the ORM's time (docs/performance.md). The page reads the trips' own columns alone; the
# riders', vehicles' and clusters' names follow by id: three statements compiled once per process, sent together.
# Each output key and the column it is read from, in TripOut's order: a row of the page is a tuple of these values
# (no dict per row from the ORM), zipped with the keys. The UUID is read as text and the amounts as doubles, as the
# output writes them (both round the exact value once): loading a UUID object and a Decimal per row, then
# converting them back, cost more than the rest of the row. Times stay datetimes, which the renderer writes in C.
TRIP_OUT_COLUMNS = {
    "id": "id", "guid": Cast("guid", TextField()), "network_id": "network_id", "state": "state",
    "start_date": "started_at", "end_date": "ended_at", "duration": "duration", "running_duration": "running_duration",
    "distance": "distance", "amount": JsonNumber("amount"), "discount_amount": JsonNumber("discount_amount"),
    "billing_stop_at": "billing_stop_at", "payment_status": "payment_status", "demo": "demo",
    # Ids until trip_out_rows puts the named rows in their place.
    "user": "rider_id", "vehicle": "vehicle_id", "cluster_start": "start_cluster_id", "cluster_end": "end_cluster_id",
}
TRIP_OUT_KEYS = tuple(TRIP_OUT_COLUMNS)
RIDER_NAMES = RowsById(User, "email", "firstname", "lastname")
VEHICLE_NAMES = RowsById(Vehicle, "serial_number", model_name=F("model__name"))
CLUSTER_NAMES = RowsById(Cluster, "name")


def trip_out_rows(rows: list[tuple]) -> list[dict]:
    trips = [dict(zip(TRIP_OUT_KEYS, row)) for row in rows]
    riders, vehicles, clusters = RowsById.each(
        (RIDER_NAMES, (trip["user"] for trip in trips)), (VEHICLE_NAMES, (trip["vehicle"] for trip in trips)),
        (CLUSTER_NAMES, (pk for trip in trips for pk in (trip["cluster_start"], trip["cluster_end"]))))
    for trip in trips:
        trip["user"], trip["vehicle"] = riders[trip["user"]], vehicles[trip["vehicle"]]
        trip["cluster_start"] = clusters.get(trip["cluster_start"])
        trip["cluster_end"] = clusters.get(trip["cluster_end"])
    show_live_durations_of_rows(trips)
    return in_current_zone(trips, "start_date", "end_date", "billing_stop_at")


def show_live_durations_of_rows(trips: list[dict]) -> None:
    """show_live_durations for output rows: the few trips under way are completed the same way."""
    under_way = [Trip(pk=trip["id"], state=trip["state"], started_at=trip["start_date"], ended_at=trip["end_date"],
                      billing_stop_at=trip["billing_stop_at"], running_duration=trip["running_duration"])
                 for trip in trips if trip["end_date"] is None]
    show_live_durations(trips=under_way)
    seconds = {trip.pk: trip.running_duration for trip in under_way}
    for trip in trips:
        trip["running_duration"] = seconds.get(trip["id"], trip["running_duration"])


class TripList(OperationView):
    operations = {"GET": "listTrips"}
    output_serializers = {"GET": TripOut}
    sort_fields = {"start_date": "started_at", "end_date": "ended_at", "duration": "duration", "distance": "distance"}
    queryset = Trip.objects.all()

    def get(self, request):
        # Ordered by id: the networks matched with `= ANY` (get_network_queryset), so one network's page stays on its
        # (network, -id) index even when other networks own the newest ids (a network paused for the winter).
        by_id = not self.query.get("sort_by")
        query = with_model_resolved(filters=self.query)
        networks = list(dict.fromkeys(query["networks"]))
        conditions = trip_conditions(filters=query)
        bounds = implied_bounds(network_ids=networks, filters=query)

        def matching_in(network_ids, *, bounded=True):
            key = network_ids[0] if network_ids != networks else None  # one network's part, or all of them
            matching = self.get_network_queryset(id_ordered=by_id, networks=network_ids).filter(conditions[key])
            return matching.filter(bounds[key]) if bounded and bounds[key] else matching  # most pages have none

        # Stored day counts instead of a COUNT(*) that reads a million index entries, for all trips and for most
        # single filters (apps.trips.selectors.trip_totals). The scope of trips is whole networks, so this is what
        # the caller may see. Otherwise a COUNT(*) of the trips (per network: the merged page needs each one's),
        # without the joins of the page's columns.
        totals = trip_totals(network_ids=networks, filters=query)
        if totals is None:
            unbounded = matching_in(networks, bounded=False).order_by()
            totals = ({networks[0]: unbounded.count()} if len(networks) == 1 else
                      dict(unbounded.values_list("network_id").annotate(trips=Count("id"))))
        matching = matching_in(networks)
        columns = TRIP_OUT_COLUMNS.values()
        sort_below = found_then_sorted_below(filters=query)
        spread = spread_of(filters=query)
        if len(networks) == 1:
            # One network: order by it first, so the (network, -id) index serves the default order whichever
            # network owns the newest ids (else PostgreSQL walks the primary key past every other network's newer
            # trips).
            return self.respond_page(matching.values_list(*columns), total=totals.get(networks[0], 0),
                                     constant="network_id", present=trip_out_rows, sort_below=sort_below,
                                     bare=matching, spread=spread)
        # Several networks: each network's page off its own indexes, merged (keyset_page's `parts`).
        parts = [Part(rows=part.values_list(*columns), total=totals.get(network_id, 0), constant="network_id",
                      bare=part)
                 for network_id in networks for part in [matching_in([network_id])]]
        return self.respond_page(matching.values_list(*columns), total=sum(totals.values()), present=trip_out_rows,
                                 sort_below=sort_below, parts=parts, spread=spread)


class TripDetail(OperationView):
    operations = {"GET": "getTrip"}
    output_serializers = {"GET": TripOut}
    queryset = Trip.objects.select_related("rider", "vehicle__model", "start_cluster", "end_cluster")

    def get(self, request, id):
        trip = self.get_object()
        show_live_durations(trips=[trip])
        return self.respond_object(trip)


class MaintenanceRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField(source="type.key")
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class RevenueOut(serializers.Serializer):
    currency = serializers.CharField(help_text="ISO 4217 code of the networks the trips were ridden in.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)


class VehicleStatisticsOut(serializers.Serializer):
    trip_count = serializers.IntegerField(help_text="Finished trips (in the networks you see).")
    total_distance = serializers.IntegerField(help_text="Meters.")
    total_duration = serializers.IntegerField(help_text="Seconds.")
    first_trip_date = serializers.DateTimeField(allow_null=True)
    last_trip_date = serializers.DateTimeField(allow_null=True)
    revenue = RevenueOut(many=True, help_text="Charged for the finished trips, per currency.")
    maintenance_count = serializers.IntegerField()
    open_maintenance_count = serializers.IntegerField()
    last_maintenance = MaintenanceRefOut(allow_null=True)
    open_alert_count = serializers.IntegerField()


class TimelineEventOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=["trip", "parking", "maintenance-start", "maintenance-end"])
    date = serializers.DateTimeField(help_text="Pass the last one as `before_date` for the next page.")
    end_date = serializers.DateTimeField(allow_null=True, help_text="End of the trip, parking or maintenance.")
    trip_id = serializers.IntegerField(source="trip.id", allow_null=True, default=None)
    user_id = serializers.IntegerField(source="trip.rider_id", allow_null=True, default=None)
    cluster = IdNameOut(allow_null=True, help_text="Trip: where it started; parking: where it stands.")
    maintenance = MaintenanceRefOut(allow_null=True)


class VehicleStatistics(OperationView):
    operations = {"GET": "getVehicleStatistics"}
    output_serializers = {"GET": VehicleStatisticsOut}
    queryset = Vehicle.objects.all()

    def get(self, request, id):
        return self.respond_object(vehicle_statistics(vehicle=self.get_object(), visible=self.scoped))


class VehicleTimeline(OperationView):
    """Newest first, `TIMELINE_PAGE_SIZE` events a page; `before_date` pages back."""

    operations = {"GET": "getVehicleTimeline"}
    output_serializers = {"GET": TimelineEventOut}
    queryset = Vehicle.objects.all()

    def get(self, request, id):
        return self.respond_list(vehicle_timeline(vehicle=self.get_object(), visible=self.scoped,
                                                  before=self.query.get("before_date")))


class TripBillingStop(OperationView):
    operations = {"PUT": "setTripBillingStop"}
    queryset = Trip.objects.all()

    def put(self, request, id):
        services.trip_set_billing_stop(trip=self.get_object(), date=self.body["date"])
        return self.respond()


class UserReport(RiderView):
    """Per network the caller sees: the rider's trips (count, distance, time, amount) and support reports (here, not
    in apps.riders: trips and support build on riders)."""

    operations = {"GET": "getUserReport"}
    output_serializers = {"GET": NetworkFiguresOut}

    def get(self, request, id):
        rider = self.rider
        finished = Q(state=TripState.FINISHED)
        trips = (self.scoped(Trip.objects.filter(rider=rider)).values("network_id")
                 .annotate(trip_count=Count("id"), finished_trip_count=Count("id", filter=finished),
                           total_distance=Sum("distance", filter=finished, default=0),
                           total_duration=Sum("duration", filter=finished, default=0),
                           amount_charged=Sum("amount", filter=finished, default=0),
                           first_trip_date=Min("started_at"), last_trip_date=Max("started_at")))
        links = Report.networks.through.objects.filter(report__rider=rider)
        if self.visible_networks() is not None:
            links = links.filter(network_id__in=self.visible_networks())
        reports = (links.values("network_id")
                   .annotate(report_count=Count("report_id"),
                             open_report_count=Count("report_id", filter=Q(report__resolved_at__isnull=True))))
        rows = {row["network_id"]: row for row in trips}
        for row in reports:
            rows.setdefault(row["network_id"], {}).update(row)
        networks = Network.objects.in_bulk(list(rows))
        return self.respond_list([
            {"trip_count": 0, "finished_trip_count": 0, "total_distance": 0, "total_duration": 0, "amount_charged": 0,
             "first_trip_date": None, "last_trip_date": None, "report_count": 0, "open_report_count": 0, **row,
             "network": networks[network_id], "currency": networks[network_id].currency_id}
            for network_id, row in sorted(rows.items(), key=lambda item: networks[item[0]].name)])
