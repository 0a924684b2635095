from django.contrib import admin
from django.utils.html import format_html_join

from apps.core.admin import ReadOnlyAdmin, ScopedModelAdmin, when

from . import services
from .models import Report, ReportMessage


@admin.register(Report)
class ReportAdmin(ScopedModelAdmin):
    """Support reports, scoped by their networks; the chat is read here and written through the API's services."""

    permission_key = "users.support"
    list_display = ["id", "subject", "rider", "created_at", "last_message_at", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), "networks"]
    list_select_related = ["rider"]
    search_fields = ["=id", "subject", "rider__email"]
    readonly_fields = ["rider", "subject", "networks", "resolved_at", "resolved_by", "last_message_at", "chat"]
    exclude = ["networks"]
    actions = ["resolve"]

    def has_add_permission(self, request):
        return False  # riders open reports from the app

    @admin.display(description="Chat (newest first)")
    def chat(self, report):
        rows = report.messages.order_by("-created_at")[:50]
        return format_html_join("", "<p><strong>{}</strong> {}: {}</p>", (
            ("Support" if m.from_support else "Rider", when(m.created_at),
             "(deleted)" if m.deleted_at else (m.message or "(image)")) for m in rows))

    @admin.action(description="Resolve the selected reports")
    def resolve(self, request, queryset):
        self.each_through_service(request, queryset,
                                  lambda report: services.report_resolve(report=report, actor=request.user),
                                  "resolved")


@admin.register(ReportMessage)
class ReportMessageAdmin(ReadOnlyAdmin):
    permission_key = "users.support"
    list_display = ["id", "report", "from_support", "created_at", "edited_at", "deleted_at"]
    list_select_related = ["report"]
