from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    permission_key = "developer"
    list_display = ["date", "user_id", "verb", "target_path", "http_code", "knot_code", "duration_ms", "ip"]
    list_filter = ["verb", "http_code"]
    search_fields = ["target_path", "ip", "user_agent"]
    date_hierarchy = "date"
    show_full_result_count = False  # the table is large; skip the extra COUNT(*)
