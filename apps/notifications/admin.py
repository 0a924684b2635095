from django.contrib import admin

from apps.core.admin import ScopedInline, ScopedModelAdmin

from .models import NotificationSetting, NotificationTarget


class TargetInline(ScopedInline, admin.TabularInline):
    model = NotificationTarget
    extra = 1
    raw_id_fields = ["user"]


@admin.register(NotificationSetting)
class NotificationSettingAdmin(ScopedModelAdmin):
    permission_key = "notifications"
    list_display = ["network", "notification_type", "check_interval", "check_delay"]
    list_filter = ["network", "notification_type"]
    list_select_related = ["network"]
    inlines = [TargetInline]
