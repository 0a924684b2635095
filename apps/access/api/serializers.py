from django.utils import timezone
from rest_framework import serializers

from apps.applabels.models import AppLabel
from apps.core.api.outputs import IdNameOut
from apps.core.api.params import CatalogSerializer
from apps.fleet.models import Cluster
from apps.networks.models import Network
from apps.organizations.models import Organization

from ..models import OrganizationalUnit, Role

UNIT_MEMBERS = {
    "app_labels": AppLabel.objects.all(),
    "organizations": Organization.objects.all(),
    "networks": Network.objects.all(),
    "clusters": Cluster.objects.select_related("network"),
}


class CreateUnitBody(CatalogSerializer):
    operation_id = "createOrganizationalUnit"
    references = UNIT_MEMBERS


class UpdateUnitBody(CatalogSerializer):
    operation_id = "updateOrganizationalUnit"
    references = UNIT_MEMBERS


class RoleKeyMixin:
    def validate_role_key(self, key):
        role = Role.objects.filter(key=key).first()
        if role is None:
            raise serializers.ValidationError(f"No role with the key {key!r}.")
        return role


class GrantPermissionBody(CatalogSerializer):
    operation_id = "grantUserPermission"
    references = {"organizational_unit": OrganizationalUnit.objects.all()}


class RevokePermissionQuery(CatalogSerializer):
    operation_id = "revokeUserPermission"
    location = "query"
    references = {"organizational_unit": OrganizationalUnit.objects.all()}


class GrantRoleBody(RoleKeyMixin, CatalogSerializer):
    operation_id = "grantUserRole"
    references = {"organizational_unit": OrganizationalUnit.objects.all()}


class RevokeRoleQuery(RoleKeyMixin, CatalogSerializer):
    operation_id = "revokeUserRole"
    location = "query"
    references = {"organizational_unit": OrganizationalUnit.objects.all()}


class PermissionOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class RoleOut(serializers.ModelSerializer):
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Role
        fields = ["id", "key", "permissions", "created_at", "updated_at"]

    def get_permissions(self, role) -> list[dict]:
        labels = self.context["view"].labels
        return [{"key": key, "label": labels.get(key, key)} for key in role.permissions]


class LabelOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class UnitOut(serializers.ModelSerializer):
    app_labels = LabelOut(many=True)
    organizations = IdNameOut(many=True)
    networks = IdNameOut(many=True)
    clusters = IdNameOut(many=True)
    user_count = serializers.IntegerField(help_text="Users holding a grant on the unit that has not expired.")

    class Meta:
        model = OrganizationalUnit
        fields = ["id", "name", "app_labels", "organizations", "networks", "clusters", "user_count", "created_at"]


class GrantOut(serializers.Serializer):
    id = serializers.IntegerField()
    permission_key = serializers.CharField(allow_null=True, help_text="Null for a role grant.")
    role_key = serializers.CharField(source="role.key", allow_null=True, default=None,
                                     help_text="Null for a permission grant.")
    organizational_unit = IdNameOut(allow_null=True, help_text="Null for a global grant.")
    start_date = serializers.DateTimeField()
    end_date = serializers.DateTimeField(allow_null=True)
    write = serializers.BooleanField()
    active = serializers.SerializerMethodField()
    granted_by_id = serializers.IntegerField(allow_null=True)

    def get_active(self, grant) -> bool:
        now = timezone.now()
        return grant.start_date <= now and (grant.end_date is None or grant.end_date > now)


class UnitUserOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    firstname = serializers.CharField()
    lastname = serializers.CharField()
    grants = GrantOut(many=True, source="unit_grants")
