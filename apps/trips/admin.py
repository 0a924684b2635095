from django.contrib import admin

from apps.core.admin import ScopedModelAdmin

from .models import Trip


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
