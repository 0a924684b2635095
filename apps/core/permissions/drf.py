from rest_framework.permissions import BasePermission

from . import resolve_scope


class CatalogAccess(BasePermission):
    """Applies the catalog's access rule of the operation the view serves for this method."""

    def has_permission(self, request, view):
        operation = getattr(view, "operation", None)
        if operation is None:
            # Not a catalog operation (OPTIONS, or a view that declares its own permission classes).
            return request.method == "OPTIONS" or bool(request.user and request.user.is_authenticated)
        if operation.access == "public":
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        if operation.access == "authenticated":
            return True
        return not resolve_scope(request.user, operation.permission, write=operation.write).empty
