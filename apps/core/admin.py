"""The admin decides access through the same code as the API (apps.core.permissions)."""
from django.contrib import admin

from apps.core.permissions import resolve_scope


class ScopedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows and rights come from the permission key the API uses for the same objects."""

    permission_key: str | None = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "restrict"):
            return queryset.restrict(request.user, self.permission_key)
        return queryset if request.user.is_superuser else queryset.none()

    def _allowed(self, request, *, write: bool) -> bool:
        return not resolve_scope(request.user, self.permission_key, write=write).empty

    def has_module_permission(self, request):
        return self._allowed(request, write=False)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, write=False)

    def has_add_permission(self, request):
        return self._allowed(request, write=True)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, write=True)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, write=True)
