from collections import defaultdict

from django.contrib import admin, messages

from apps.core.admin import ReadOnlyAdmin, ScopedModelAdmin

from . import rollups
from .models import Trip, TripDay


@admin.register(Trip)
class TripAdmin(ScopedModelAdmin):
    permission_key = "trips"
    list_display = ["id", "network", "rider", "state", "started_at", "ended_at", "duration", "distance", "demo"]
    list_filter = ["state", "network", "demo"]
    search_fields = ["=id", "rider__email", "=guid"]
    list_select_related = ["network", "rider"]
    raw_id_fields = ["rider", "start_cluster", "end_cluster"]
    date_hierarchy = "started_at"
    show_full_result_count = False  # millions of trips: no COUNT(*) over the whole table per page
    # What a trip is and costs comes from the rider's app and the pricing engine, not from a form.
    rule_fields = ("network", "rider", "vehicle", "state", "started_at", "ended_at", "duration", "distance",
                   "running_duration", "amount", "discount_amount", "cost_computed_at", "billing_stop_at",
                   "promotion", "payment_status", "payment_mode")
    actions = ["recompute_cost"]

    def has_add_permission(self, request):
        return False  # trips are started by riders (mobile app), never typed in

    @admin.action(description="Recompute the cost of the selected trips (pricing engine)")
    def recompute_cost(self, request, queryset):
        from .services import trip_compute_cost

        for trip in queryset.select_related("network__currency"):
            trip_compute_cost(trip=trip)
        self.message_user(request, "Costs recomputed.")


@admin.register(TripDay)
class TripDayAdmin(ReadOnlyAdmin):
    """The stored day summaries, read-only: they are computed from the trips (apps.trips.rollups). Recomputing
    is the way to repair a day after trips were changed outside the application (SQL, bulk updates)."""

    permission_key = "trips"
    list_display = ["network", "day", "timezone", "trip_count", "computed_at"]
    list_filter = ["network", "timezone"]
    date_hierarchy = "day"
    fields = ["network", "day", "timezone", "trip_count", "hours", "distance_histogram", "duration_histogram",
              "computed_at"]
    readonly_fields = fields
    list_select_related = ["network"]
    actions = ["recompute"]

    @admin.action(description="Recompute the selected days from the trips")
    def recompute(self, request, queryset):
        days_by_network = defaultdict(list)  # one summary query per network, not per selected day
        for row in queryset.select_related("network"):
            days_by_network[row.network].append(row.day)
        recomputed = sum(rollups.store_days(network, days) for network, days in days_by_network.items())
        self.message_user(request, f"{recomputed} day(s) recomputed.", messages.SUCCESS)
