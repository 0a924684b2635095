"""The access operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, boolean, declare, integer, param, string
from apps.core.enums import PERMISSIONS

# An organizational unit's fields, created or changed alike.
UNIT_FIELDS = (
    param("name", "body", string(min_length=3, max_length=50), required=True,
          doc="The name of the organizational unit."),
    param("app_labels", "body", array(integer(minimum=1), min_items=0, unique=True), required=True,
          doc="The list of application labels included in this organizational unit."),
    param("organizations", "body", array(integer(minimum=1), min_items=0, unique=True), required=True,
          doc="The list of organization included in this organizational unit."),
    param("networks", "body", array(integer(minimum=1), min_items=0, unique=True), required=True,
          doc="The list of networks included in this organizational unit."),
    param("clusters", "body", array(integer(minimum=1), min_items=0, unique=True), required=True,
          doc=("A restricted list of cluster included in this organizational unit. Allow to restrict given "
               "permission to only some clusters.")),
)


# A grant's rider, dates, unit and write flag, given or taken alike.
GRANT_FIELDS = (
    param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
    param("start_date", "body", string(fmt="date-time"), required=True,
          doc="Start date of the permission / role."),
    param("end_date", "body", string(fmt="date-time", nullable=True), required=True,
          doc="When the permission / role will expire. Null to grant forever."),
    param("organizational_unit", "body", integer(minimum=1, nullable=True), required=True,
          doc=("The identifier of the organizational unit to which to give the permission. Can be null for "
               "global permission.")),
    param("write", "body", boolean(), required=True, doc="Grant the permission with write modifier."),
)


declare("listOrganizationalUnits", "GET", "/organizational-units",
        api="dashboard", tag="OrganizationalUnits", access="permission", permission="users.permissions",
        summary="Get organizational units",
        description="Get the list of organizational units.",
        response_sample='{ "code": 0, "data": [...] }')

declare("createOrganizationalUnit", "POST", "/organizational-units",
        api="dashboard", tag="OrganizationalUnits", access="permission", permission="users.permissions", write=True,
        summary="Create organizational unit",
        description="Create a new organizational unit.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            *UNIT_FIELDS,
        ))

declare("updateOrganizationalUnit", "PUT", "/organizational-units",
        api="dashboard", tag="OrganizationalUnits", access="permission", permission="users.permissions", write=True,
        summary="Update organizational unit",
        description="Update name and/or linked objects of an organizational unit.",
        response_sample='{ "code": 0 }',
        params=(
            *UNIT_FIELDS,
            param("ou_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the organizational unit."),
        ))

declare("deleteOrganizationalUnit", "DELETE", "/organizational-units/{id}",
        api="dashboard", tag="OrganizationalUnits", access="permission", permission="users.permissions", write=True,
        summary="Delete organizational unit",
        description=("Delete the specified organizational unit if there is no longer user with permissions linked "
                     "to it."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The organizational unit's identifier."),
        ))

declare("listOrganizationalUnitUsers", "GET", "/organizational-units/{id}/users",
        api="dashboard", tag="OrganizationalUnits", access="permission", permission="users.permissions",
        summary="Get organizational unit users",
        description="Get the list of users with their permissions for the given organizational unit.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The organizational unit's identifier."),
        ))

declare("getGlobalPermissionUserCount", "GET", "/organizational-units/global-user-count",
        api="dashboard", tag="OrganizationalUnits", access="permission", permission="users.permissions",
        summary="Get global user count",
        description="Get the count of user that have a permission globally.",
        response_sample='{ "code": 0, "data": 0 }')

declare("listPermissions", "GET", "/permissions",
        api="dashboard", tag="Permissions", access="permission", permission="dashboard.access",
        summary="Get permissions",
        description="Get the list of available permissions.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("lang", "query", string(min_length=2, max_length=2), required=True,
                  doc="The lang in which to get the permission localized."),
        ))

declare("listRoles", "GET", "/roles",
        api="dashboard", tag="Roles", access="permission", permission="dashboard.access",
        summary="Get roles",
        description="Get the list of available roles.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("lang", "query", string(min_length=2, max_length=2), required=True,
                  doc="The lang in which to get the permission localized."),
        ))

declare("createRole", "POST", "/roles",
        api="dashboard", tag="Roles", access="permission", permission="roles", write=True,
        summary="Create role",
        description="Create a new permission role.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "body", string(min_length=3, max_length=50), required=True, doc="The key of the new role."),
            param("perms", "body", array(string(enum=PERMISSIONS), unique=True), required=True,
                  doc="The list of permissions to add to the role."),
        ))

declare("updateRole", "PUT", "/roles",
        api="dashboard", tag="Roles", access="permission", permission="roles", write=True,
        summary="Update role",
        description="Update the permissions associated to a role.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "body", string(min_length=3, max_length=50), required=True,
                  doc="The key of the role to update."),
            param("perms_to_add", "body", array(string(enum=PERMISSIONS), unique=True), required=True,
                  doc="The list of permissions to add to the role."),
            param("perms_to_remove", "body", array(string(enum=PERMISSIONS), unique=True), required=True,
                  doc="The list of permissions to remove from the role."),
        ))

declare("listUserPermissions", "GET", "/users/{id}/permissions",
        api="dashboard", tag="Users", access="permission", permission="users.permissions",
        summary="Get user permission",
        description="Get the list of permissions granted to the specified user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("grantUserPermission", "POST", "/users/{id}/permissions",
        api="dashboard", tag="Users", access="permission", permission="users.permissions", write=True,
        summary="Add user permission",
        description=("Grant a permission to the specified user. If the user already has the permission but with a "
                     "different end date, it will be overwritten. Granter needs to have the permission he want to "
                     "grant."),
        response_sample='{ "code": 0 }',
        params=(
            *GRANT_FIELDS,
            param("perm_key", "body", string(enum=PERMISSIONS), required=True,
                  doc="The key of the permission to give."),
        ))

declare("revokeUserPermission", "DELETE", "/users/{id}/permissions",
        api="dashboard", tag="Users", access="permission", permission="users.permissions", write=True,
        summary="Remove user permission",
        description=("Revoke a permission from the specified user. The user needs to have the permission he want "
                     "to revoke."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("perm_key", "query", string(enum=PERMISSIONS), required=True,
                  doc="The key of the permission to revoke."),
            param("organizational_unit", "query", integer(minimum=1),
                  doc="The identifier of the organizational unit. Omit to revoke a global permission."),
        ))

declare("grantUserRole", "POST", "/users/{id}/roles",
        api="dashboard", tag="Users", access="permission", permission="users.permissions", write=True,
        summary="Add user role",
        description=("Grant a role to the specified user. If the user already has the role but with a different "
                     "end date, it will be overwritten. Granter needs to have the role he want to grant, or all "
                     "permission of the role."),
        response_sample='{ "code": 0 }',
        params=(
            *GRANT_FIELDS,
            param("role_key", "body", string(min_length=3, max_length=50), required=True, doc="The key of the role."),
        ))

declare("revokeUserRole", "DELETE", "/users/{id}/roles",
        api="dashboard", tag="Users", access="permission", permission="users.permissions", write=True,
        summary="Remove user role",
        description=("Revoke a role from the specified user. The user needs to have the role he want to revoke, or"
                     " all permission of the role."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("role_key", "query", string(min_length=3, max_length=50), required=True,
                  doc="The key of the role to revoke."),
            param("organizational_unit", "query", integer(minimum=1),
                  doc="The identifier of the organizational unit. Omit to revoke a global permission."),
        ))
