from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    permission_key = "developer"
    list_display = ["date", "user_id", "verb", "target_path", "http_code", "knot_code", "duration_ms", "ip"]
    # Millions of rows: a date filter (a range over the date index), not a date hierarchy (its links aggregate the
    # whole table); exact-match search.
    list_filter = [("date", admin.DateFieldListFilter), "verb", "http_code"]
    search_fields = ["=ip", "=target_path"]
    ordering = ["-id"]


# django-auditlog's own page searches `actor__first_name`, a field our user model names `firstname` (a 500 on any
# search): the same page, searching the fields we have.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class HistoryEntryAdmin(LogEntryAdmin):
    search_fields = ["object_repr", "changes", "actor__firstname", "actor__lastname", "actor__email"]
