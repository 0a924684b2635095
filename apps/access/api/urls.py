from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.PermissionList,
    views.RoleCollection,
    views.UnitCollection,
    views.UnitDetail,
    views.UnitUserList,
    views.GlobalUserCount,
    views.UserPermissionCollection,
    views.UserRoleCollection,
)
