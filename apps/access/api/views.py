from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from apps.core.api.views import OperationView

from .. import services
from ..labels import permission_labels
from ..models import AccessGrant, OrganizationalUnit, Role
from .serializers import (
    CreateUnitBody,
    GrantOut,
    GrantPermissionBody,
    GrantRoleBody,
    PermissionOut,
    RevokePermissionQuery,
    RevokeRoleQuery,
    RoleOut,
    UnitOut,
    UnitUserOut,
    UpdateUnitBody,
)


def grants_with_units():
    return AccessGrant.objects.select_related("role", "organizational_unit")


class PermissionList(OperationView):
    operations = {"GET": "listPermissions"}
    output_serializers = {"GET": PermissionOut}

    def get(self, request):
        labels = permission_labels(self.query["lang"])
        return self.respond_list([{"key": key, "label": label} for key, label in labels.items()])


class RoleCollection(OperationView):
    operations = {"GET": "listRoles", "POST": "createRole", "PUT": "updateRole"}
    output_serializers = {"GET": RoleOut}
    queryset = Role.objects.all()
    # Roles are named sets of keys, shared by every tenant: anyone who opens the dashboard may read them.
    # Creating or changing one needs a global `roles` grant (check_in_scope: roles are global objects).
    restrict_queryset = False

    def get(self, request):
        self.labels = permission_labels(self.query["lang"])  # read by RoleOut
        return self.respond_list(self.get_queryset())

    def post(self, request):
        self.check_in_scope(services.role_create(key=self.body["key"], perms=self.body["perms"]))
        return self.respond()

    def put(self, request):
        self.check_in_scope(services.role_update(
            key=self.body["key"], perms_to_add=self.body["perms_to_add"],
            perms_to_remove=self.body["perms_to_remove"]))
        return self.respond()


class UnitCollection(OperationView):
    operations = {"GET": "listOrganizationalUnits", "POST": "createOrganizationalUnit",
                  "PUT": "updateOrganizationalUnit"}
    body_serializers = {"POST": CreateUnitBody, "PUT": UpdateUnitBody}
    output_serializers = {"GET": UnitOut, "POST": UnitOut}
    queryset = OrganizationalUnit.objects.all()

    def get_base_queryset(self):
        unexpired = Q(grants__end_date__isnull=True) | Q(grants__end_date__gt=timezone.now())
        return OrganizationalUnit.objects.prefetch_related(
            "app_labels", "organizations", "networks", "clusters"
        ).annotate(user_count=Count("grants__user", distinct=True, filter=unexpired))

    def get(self, request):
        return self.respond_list(self.get_queryset())

    def post(self, request):
        unit = self.check_in_scope(services.unit_create(
            name=self.body["name"], app_labels=self.body["app_labels"], organizations=self.body["organizations"],
            networks=self.body["networks"], clusters=self.body["clusters"]))
        return self.respond_object(self.get_queryset().get(pk=unit.pk))

    def put(self, request):
        values = dict(self.body)
        unit = self.get_object(pk=values.pop("ou_id"))
        self.check_in_scope(services.unit_update(unit=unit, **values))
        return self.respond()


class UnitDetail(OperationView):
    operations = {"DELETE": "deleteOrganizationalUnit"}
    queryset = OrganizationalUnit.objects.all()

    def delete(self, request, id):
        services.unit_delete(unit=self.get_object())
        return self.respond()


class UnitUserList(OperationView):
    operations = {"GET": "listOrganizationalUnitUsers"}
    output_serializers = {"GET": UnitUserOut}
    queryset = OrganizationalUnit.objects.all()

    def get(self, request, id):
        unit = self.get_object()
        users = get_user_model().objects.filter(access_grants__organizational_unit=unit).distinct().prefetch_related(
            Prefetch("access_grants", to_attr="unit_grants",
                     queryset=grants_with_units().filter(organizational_unit=unit).order_by("id")))
        return self.respond_list(users.order_by("email"))


class GlobalUserCount(OperationView):
    operations = {"GET": "getGlobalPermissionUserCount"}
    output_serializers = {"GET": {"type": "integer", "description": "Users holding an active global grant."}}
    queryset = AccessGrant.objects.all()

    def get(self, request):
        # Global grants are visible to global holders only: a unit-scoped caller counts none.
        global_grants = self.get_queryset().filter(organizational_unit__isnull=True).active(timezone.now())
        return self.respond(global_grants.values("user").distinct().count())


class UserTargetMixin:
    """The user whose grants are read or changed. User ids are not tenant data for whoever manages
    permissions; what such a caller sees or changes of a user's grants is limited by its own scope."""

    def target_user(self):
        return self.get_object(queryset=get_user_model().objects.filter(is_active=True))


class UserPermissionCollection(UserTargetMixin, OperationView):
    operations = {"GET": "listUserPermissions", "POST": "grantUserPermission", "DELETE": "revokeUserPermission"}
    body_serializers = {"POST": GrantPermissionBody}
    query_serializers = {"DELETE": RevokePermissionQuery}
    output_serializers = {"GET": GrantOut}
    queryset = AccessGrant.objects.all()

    def get_base_queryset(self):
        return grants_with_units()

    def get(self, request, id):
        user = self.target_user()
        return self.respond_list(self.get_queryset().filter(user=user).order_by("id"))

    def post(self, request, id):
        services.grant_permission(
            granter=request.user, user=self.target_user(), start_date=self.body["start_date"],
            end_date=self.body["end_date"], organizational_unit=self.body["organizational_unit"],
            write=self.body["write"], perm_key=self.body["perm_key"])
        return self.respond()

    def delete(self, request, id):
        services.revoke_permission(granter=request.user, user=self.target_user(), perm_key=self.query["perm_key"],
                                   organizational_unit=self.query.get("organizational_unit"))
        return self.respond()


class UserRoleCollection(UserTargetMixin, OperationView):
    operations = {"POST": "grantUserRole", "DELETE": "revokeUserRole"}
    body_serializers = {"POST": GrantRoleBody}
    query_serializers = {"DELETE": RevokeRoleQuery}

    def post(self, request, id):
        values = dict(self.body)
        services.grant_role(granter=request.user, user=self.target_user(), role=values.pop("role_key"), **values)
        return self.respond()

    def delete(self, request, id):
        services.revoke_role(granter=request.user, user=self.target_user(), role=self.query["role_key"],
                             organizational_unit=self.query.get("organizational_unit"))
        return self.respond()
