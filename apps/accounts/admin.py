"""Login tokens. The user admin, riders' and staff's, is the riders app's (apps/riders/admin.py): it shows what
riders do, which accounts knows nothing of."""
from django.contrib import admin
from django.utils import timezone

from .models import AuthToken


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "key_hash", "created_at", "expires_at", "user_agent"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are issued by logging in

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} token(s) revoked.")
