from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from apps.core.admin import ScopedModelAdmin

from .models import AuthToken, User


@admin.register(User)
class UserAdmin(ScopedModelAdmin, DjangoUserAdmin):
    # Users belong to no single network: the admin lists them to global `users.list` holders.
    permission_key = "users.list"
    ordering = ["email"]
    list_display = ["email", "firstname", "lastname", "is_staff", "is_active", "register_at", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "firstname", "lastname", "phone_number"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identity", {"fields": ("firstname", "lastname", "phone_number")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("register_at", "last_login", "last_activity")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    # Rights are given through grants (which check the granter holds them), never by editing these.
    superuser_only_fields = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
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
        from django.utils import timezone

        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} token(s) revoked.")
