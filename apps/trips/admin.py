from collections import defaultdict

from django.contrib import admin, messages

from apps.core.admin import (
    confirmed_action,
    IndexedSearchMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    route_map_config,
    ScopedModelAdmin,
    table,
)
from apps.core.money import money_text

from . import lifecycle, rollups
from .models import Reservation, Trip, TripAdditionalCost, TripDay, TripDetail, TripEvent
from .routes import trip_route
from .services import trip_compute_cost


class TripEventInline(ReadOnlyInline):
    model = TripEvent
    fields = ["timestamp", "type", "source", "latitude", "longitude", "additional_data"]
    ordering = ["timestamp", "id"]


class TripDetailInline(ReadOnlyInline):
    model = TripDetail
    fields = ["originator_key", "value", "value_type", "labels", "deleted_at"]


class TripAdditionalCostInline(ReadOnlyInline):
    model = TripAdditionalCost
    fields = ["type", "amount", "notes", "created_at"]


def _minutes(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


@admin.register(Trip)
class TripAdmin(IndexedSearchMixin, ScopedModelAdmin):
    permission_key = "trips"
    list_display = ["id", "network", "rider", "state", "started_at", "duration_min", "distance_km", "cost",
                    "payment_status"]
    list_filter = ["state", "payment_status", "payment_mode", ("started_at", admin.DateFieldListFilter), "network",
                   "demo"]
    search_uuid_field = "guid"  # search: an id, a trip's guid, a rider's e-mail (IndexedSearchMixin)
    list_select_related = ["network", "rider"]
    # Newest first over the (network, -id) index; no date hierarchy (its year/month links aggregate the table).
    ordering = ["-id"]
    # What a trip is and costs comes from the rider's app and the pricing engine, not from a form: the page is
    # read-only, with the trip's events, details and extra costs; the cost is recomputed by the action.
    fieldsets = [
        ("Trip", {"fields": ["network", "rider", "vehicle", "state", "started_at", "ended_at", "duration_min",
                             "running_duration", "distance_km", "demo", "guid"]}),
        ("Cost", {"fields": ["cost", "discount_amount", "promotion", "payment_status", "payment_mode",
                             "organization", "organization_amount", "cost_computed_at", "billing_stop_at"]}),
        ("Where", {"fields": ["start_cluster", "end_cluster", "start_latitude", "start_longitude", "end_latitude",
                              "end_longitude"]}),
    ]
    readonly_fields = [name for _title, part in fieldsets for name in part["fields"]]
    inlines = [TripEventInline, TripDetailInline, TripAdditionalCostInline]
    actions = ["recompute_cost", "end_trips", "waive_debts"]
    change_form_template = "admin/trips/trip/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        trip = self.get_object(request, object_id)  # in the user's scope, else Django's "not found"
        if trip is not None:
            route = [(p.latitude, p.longitude, p.battery, p.recorded_at) for p in trip_route(trip)]
            center = (trip.start_latitude or trip.vehicle.latitude or 0, trip.start_longitude or
                      trip.vehicle.longitude or 0)
            extra_context = {**(extra_context or {}), "route_config": route_map_config(route, center=center)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Duration", ordering="duration")
    def duration_min(self, trip):
        return _minutes(trip.duration)

    @admin.display(description="Distance", ordering="distance")
    def distance_km(self, trip):
        return f"{trip.distance / 1000:.2f} km"

    @admin.display(description="Amount", ordering="amount")
    def cost(self, trip):
        return money_text(trip.amount, trip.network.currency_id)

    def has_add_permission(self, request):
        return False  # trips are started by riders (mobile app), never typed in

    @admin.action(description="Recompute the cost of the selected trips (pricing engine)")
    def recompute_cost(self, request, queryset):
        for trip in queryset.select_related("network__currency"):
            trip_compute_cost(trip=trip)
        self.message_user(request, "Costs recomputed.")

    @admin.action(description="End the selected trips where the vehicles are, and take their payment")
    @confirmed_action
    def end_trips(self, request, queryset):
        # The rider's end without the lock and the position rules (a vehicle left unreachable, a rider who
        # cannot end it); priced and paid as any end, once even if the rider ends it at the same moment.
        self.each_through_service(request, queryset, lambda trip: lifecycle.trip_end(trip=trip, actor=request.user),
                                  "ended")

    @admin.action(description="Waive the debt of the selected unpaid trips")
    @confirmed_action
    def waive_debts(self, request, queryset):
        self.each_through_service(request, queryset,
                                  lambda trip: lifecycle.trip_waive_debt(trip=trip, actor=request.user), "waived")


@admin.register(TripDay)
class TripDayAdmin(ReadOnlyAdmin):
    """The stored day summaries, read-only: they are computed from the trips (apps.trips.rollups). Recomputing
    is the way to repair a day after trips were changed outside the application (SQL, bulk updates)."""

    permission_key = "trips"
    list_display = ["network", "day", "timezone", "trip_count", "computed_at"]
    list_filter = ["network", "timezone"]
    date_hierarchy = "day"
    fields = ["network", "day", "timezone", "trip_count", "all_trip_count", "distance_total", "duration_total",
              "trips_per_hour", "distance_buckets", "duration_buckets", "computed_at"]
    readonly_fields = fields
    list_select_related = ["network"]
    actions = ["recompute"]

    @admin.display(description="Trips per local hour")
    def trips_per_hour(self, day):
        return table(["Hour", *range(24)], [["Trips", *day.hours]])

    @admin.display(description="Trips per distance bucket")
    def distance_buckets(self, day):
        return _histogram(day.distance_histogram, rollups.DISTANCE_BUCKETS, "m")

    @admin.display(description="Trips per duration bucket")
    def duration_buckets(self, day):
        return _histogram(day.duration_histogram, rollups.DURATION_BUCKETS, "s")

    @admin.action(description="Recompute the selected days from the trips")
    def recompute(self, request, queryset):
        days_by_network = defaultdict(list)  # one summary query per network, not per selected day
        for row in queryset.select_related("network"):
            days_by_network[row.network].append(row.day)
        recomputed = sum(rollups.store_days(network, days) for network, days in days_by_network.items())
        self.message_user(request, f"{recomputed} day(s) recomputed.", messages.SUCCESS)


def _histogram(by_mode: dict, bounds: list, unit: str):
    """{payment mode: [trips per bucket]} as a table, one row per mode, one column per bucket of `bounds`."""
    labels = [f"{low}–{high} {unit}" if high is not None else f"≥ {low} {unit}" for low, high in zip(bounds, bounds[1:])]
    return table(["Payment mode", *labels], [[mode, *counts] for mode, counts in sorted(by_mode.items())])


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    """Vehicles riders hold from the app (apps.trips.lifecycle): listed here, made and ended by the services only;
    staff give a vehicle back with the action, as the rider does."""

    permission_key = "trips"
    list_display = ["id", "vehicle", "rider", "network", "created_at", "expires_at", "outcome", "trip"]
    list_filter = ["network", "outcome"]
    list_select_related = ["vehicle", "rider", "network", "trip"]
    search_fields = ["vehicle__serial_number", "rider__email"]
    actions = ["cancel_reservations"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Cancel the selected reservations (the vehicles are free again)")
    @confirmed_action
    def cancel_reservations(self, request, queryset):
        self.each_through_service(request, queryset,
                                  lambda held: lifecycle.reservation_cancel(reservation=held), "cancelled")
