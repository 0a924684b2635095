from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone

from apps.core.admin import ScopedModelAdmin
from apps.riders.admin import BlockedFilter, NetworkFilter, RiderAdminMixin

from .models import AuthToken, User


@admin.register(User)
class UserAdmin(RiderAdminMixin, ScopedModelAdmin, DjangoUserAdmin):
    """Riders and staff. Riders are seen through the networks they interact with (apps.riders); staff accounts,
    which belong to no network, by global `users.list` holders."""

    permission_key = "users.list"
    ordering = ["-id"]
    list_display = ["email", "firstname", "lastname", "phone_number", "app_label", "is_staff", "is_active",
                    "register_at", "last_activity"]
    list_filter = [BlockedFilter, NetworkFilter, "app_label", "is_staff", "is_active"]
    list_select_related = ["app_label"]
    search_fields = ["=id", "email", "firstname", "lastname", "phone_number"]
    actions = ["block", "unblock", "erase"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identity", {"fields": ("firstname", "lastname", "phone_number", "app_label")}),
        ("Support", {"fields": RiderAdminMixin.rider_fields}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("register_at", "last_login", "last_activity")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    # Rights are given through grants (which check the granter holds them), never by editing these.
    superuser_only_fields = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        # Dates the system records are shown, never typed.
        readonly = (*super().get_readonly_fields(request, obj), *self.rider_fields, "register_at", "last_login",
                    "last_activity")
        if request.user.is_superuser:
            return readonly
        return (*readonly, *self.superuser_only_fields)


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
