from django.contrib import admin, messages

from apps.core.admin import ReadOnlyAdmin, ScopedInline, ScopedModelAdmin

from .delivery import next_check_at
from .models import NotificationDigest, NotificationSetting, NotificationTarget
from .tasks import send_notification_digest


class TargetInline(ScopedInline, admin.TabularInline):
    model = NotificationTarget
    extra = 1
    raw_id_fields = ["user"]


@admin.register(NotificationSetting)
class NotificationSettingAdmin(ScopedModelAdmin):
    permission_key = "notifications"
    list_display = ["network", "notification_type", "check_interval", "check_delay", "checked_until"]
    list_filter = ["network", "notification_type"]
    list_select_related = ["network"]
    readonly_fields = ["checked_until", "next_check"]
    inlines = [TargetInline]

    @admin.display(description="next check")
    def next_check(self, obj):
        return next_check_at(obj) if obj.pk else "-"


@admin.register(NotificationDigest)
class NotificationDigestAdmin(ReadOnlyAdmin):
    """What each check found and whom it reached; a digest left pending can be handed to a worker again."""

    permission_key = "notifications"
    list_display = ["subject", "setting", "window_end", "state", "attempts", "sent_at"]
    list_filter = ["state", "setting__notification_type", "setting__network"]
    list_select_related = ["setting__network"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.action(description="Send the selected pending digests again (to whom they did not reach yet)")
    def send_again(self, request, queryset):
        pending = list(queryset.filter(state=NotificationDigest.State.PENDING).values_list("pk", flat=True))
        for digest_id in pending:
            send_notification_digest.delay(digest_id)
        self.message_user(request, f"{len(pending)} digest(s) handed to a worker.",
                          messages.SUCCESS if pending else messages.WARNING)
