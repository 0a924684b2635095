from django import forms
from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin, ScopedModelAdmin

from . import services
from .models import AppReport, AppVersion


@admin.register(AppReport)
class AppReportAdmin(ReadOnlyAdmin):
    permission_key = "app.debug"
    list_display = ["created_at", "app_label", "platform", "app_version", "message", "resolved_at"]
    list_filter = ["app_label", "platform", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["message", "device_id"]
    list_select_related = ["app_label"]
    actions = ["resolve"]

    @admin.action(description="Resolve the selected reports")
    def resolve(self, request, queryset):
        count = services.app_reports_resolve(reports=list(queryset), actor=request.user)
        self.message_user(request, f"{count} report(s) resolved.")


class AppVersionForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("minimal") is not None and cleaned.get("current") is not None \
                and cleaned["minimal"] > cleaned["current"]:
            raise forms.ValidationError("The minimal version cannot be above the current one.")
        return cleaned


@admin.register(AppVersion)
class AppVersionAdmin(ScopedModelAdmin):
    form = AppVersionForm
    permission_key = "app.debug"
    list_display = ["app_label", "platform", "minimal", "current", "updated_at"]
    list_filter = ["app_label", "platform"]
    list_select_related = ["app_label"]
