from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.networks.tests.factories import make_network
from apps.trips.tests.factories import make_rider

from .factories import make_grant, make_role, make_unit


def _unit():
    return make_unit(networks=[make_network()])


def _unit_body(**extra):
    return {"name": "Lyon team", "app_labels": [], "organizations": [], "networks": [make_network().pk],
            "clusters": [], **extra}


def _user_with(what, unit=None):
    user = make_rider()
    make_grant(user, what, unit=unit)
    return user


def _unit_with_holder():
    unit = _unit()
    make_grant(make_rider(), "trips", unit=unit)
    return unit


# Grants name `users.permissions` itself: the matrix's granter holds it, so the seed's rule
# ("a granter only gives what it holds") lets the correct-grant case succeed.
GRANT_BODY = {"start_date": "2026-01-01T00:00:00Z", "end_date": None, "organizational_unit": None, "write": False}

CASES = [
    OperationCase("listPermissions", lambda: Request(query={"lang": "fr"}), scoped=False),
    OperationCase("listRoles", lambda: (make_role(permissions=["trips"]), Request(query={"lang": "en"}))[1],
                  scoped=False),
    OperationCase("createRole", lambda: Request(body={"key": "support-agent", "perms": ["trips", "users.support"]})),
    OperationCase("updateRole", lambda: Request(body={
        "key": make_role(permissions=["trips"]).key, "perms_to_add": ["users.list"], "perms_to_remove": ["trips"]})),
    OperationCase("listOrganizationalUnits", lambda: (_unit(), Request())[1]),
    OperationCase("createOrganizationalUnit", lambda: Request(body=_unit_body())),
    OperationCase("updateOrganizationalUnit", lambda: Request(body=_unit_body(ou_id=_unit().pk))),
    OperationCase("deleteOrganizationalUnit", lambda: Request(path_params={"id": _unit().pk})),
    OperationCase("listOrganizationalUnitUsers", lambda: Request(path_params={"id": _unit_with_holder().pk})),
    OperationCase("getGlobalPermissionUserCount", lambda: (_user_with("trips"), Request())[1]),
    OperationCase("listUserPermissions", lambda: Request(path_params={"id": _user_with("trips", _unit()).pk})),
    OperationCase("grantUserPermission", lambda: Request(
        path_params={"id": make_rider().pk}, body={**GRANT_BODY, "perm_key": "users.permissions"})),
    OperationCase("revokeUserPermission", lambda: Request(
        path_params={"id": _user_with("users.permissions").pk}, query={"perm_key": "users.permissions"})),
    OperationCase("grantUserRole", lambda: Request(
        path_params={"id": make_rider().pk},
        body={**GRANT_BODY, "role_key": make_role(permissions=["users.permissions"]).key})),
    OperationCase("revokeUserRole", lambda: Request(
        path_params={"id": _user_with(make_role(key="helpers", permissions=["users.permissions"])).pk},
        query={"role_key": "helpers"})),
]

globals().update(contract_tests(CASES))
