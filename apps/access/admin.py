from django.contrib import admin
from django.core.exceptions import PermissionDenied

from apps.core.admin import ScopedModelAdmin
from apps.core.exceptions import PermissionDenied as ApiPermissionDenied

from . import services
from .models import AccessGrant, OrganizationalUnit, Role


@admin.register(Role)
class RoleAdmin(ScopedModelAdmin):
    permission_key = "roles"
    list_display = ["key", "permission_count", "updated_at"]
    search_fields = ["key"]

    @admin.display(description="Permissions")
    def permission_count(self, role):
        return len(role.permissions)


@admin.register(OrganizationalUnit)
class OrganizationalUnitAdmin(ScopedModelAdmin):
    permission_key = "users.permissions"
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["app_labels", "organizations", "networks", "clusters"]


@admin.register(AccessGrant)
class AccessGrantAdmin(ScopedModelAdmin):
    """Grants given from the admin follow the API's rule: the granter holds what it gives."""

    permission_key = "users.permissions"
    list_display = ["user", "permission_key", "role", "organizational_unit", "write", "start_date", "end_date",
                    "granted_by"]
    list_filter = ["permission_key", "role", "organizational_unit", "write"]
    search_fields = ["user__email"]
    list_select_related = ["user", "role", "organizational_unit", "granted_by"]
    raw_id_fields = ["user"]
    readonly_fields = ["granted_by"]

    def save_model(self, request, obj, form, change):
        try:
            services.require_holding(granter=request.user, keys=obj.keys, unit=obj.organizational_unit, write=obj.write, what="grant")
        except ApiPermissionDenied as exc:
            raise PermissionDenied(exc.text) from None
        if not change or form.has_changed():  # a grant saved unchanged keeps who gave it
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        self._check_revoke(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._check_revoke(request, queryset.select_related("role", "organizational_unit"))
        super().delete_queryset(request, queryset)

    def _check_revoke(self, request, grants):
        for grant in grants:
            try:
                services.require_holding(granter=request.user, keys=grant.keys, unit=grant.organizational_unit, write=False, what="revoke")
            except ApiPermissionDenied as exc:
                raise PermissionDenied(exc.text) from None
