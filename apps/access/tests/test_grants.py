"""The seed's rules on roles, organizational units and granting, through the HTTP API."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.access.models import AccessGrant, OrganizationalUnit, Role
from apps.content.models import Language, Localization
from apps.core.testing.clients import client_for
from apps.core.testing.responses import code
from apps.fleet.tests.factories import make_cluster
from apps.networks.tests.factories import make_network
from apps.trips.tests.factories import make_rider

from .factories import make_grant, make_role, make_unit

API = "/api/dashboard/v1"


@pytest.fixture
def manager(db):
    """May manage permissions everywhere, holds `trips` (read) on unit A only."""
    user = make_rider(email="manager@example.com")
    make_grant(user, "users.permissions", write=True)
    return user


@pytest.fixture
def unit_a(db):
    return make_unit(name="Unit A", networks=[make_network(name="A")])


def grant_body(**values):
    return {"start_date": "2026-01-01T00:00:00Z", "end_date": None, "organizational_unit": None, "write": False,
            **values}


def test_a_granter_only_gives_what_it_holds(manager, unit_a):
    make_grant(manager, "trips", unit=unit_a)
    target = make_rider()
    url = f"{API}/users/{target.pk}/permissions"
    client = client_for(manager)

    assert code(client.post(url, grant_body(perm_key="stations", organizational_unit=unit_a.pk))) == -4
    assert code(client.post(url, grant_body(perm_key="trips"))) == -4  # globally: holds it on A only
    assert code(client.post(url, grant_body(perm_key="trips", organizational_unit=unit_a.pk, write=True))) == -4
    other_unit = make_unit(networks=[make_network()])
    assert code(client.post(url, grant_body(perm_key="trips", organizational_unit=other_unit.pk))) == -4
    assert not AccessGrant.objects.filter(user=target).exists()

    assert code(client.post(url, grant_body(perm_key="trips", organizational_unit=unit_a.pk))) == 0
    grant = AccessGrant.objects.get(user=target)
    assert (grant.permission_key, grant.organizational_unit, grant.write, grant.granted_by) == (
        "trips", unit_a, False, manager)


def test_a_unit_narrower_than_the_granters_is_allowed(manager):
    network = make_network()
    c1, c2 = make_cluster(network=network), make_cluster(network=network)
    make_grant(manager, "stations", unit=make_unit(networks=[network]), write=True)
    narrow = make_unit(networks=[network], clusters=[c1])
    response = client_for(manager).post(f"{API}/users/{make_rider().pk}/permissions",
                                 grant_body(perm_key="stations", organizational_unit=narrow.pk, write=True))
    assert code(response) == 0
    # ...but not the other way round.
    limited = make_rider()
    make_grant(limited, "users.permissions", write=True)
    make_grant(limited, "stations", unit=make_unit(networks=[network], clusters=[c2]), write=True)
    response = client_for(limited).post(f"{API}/users/{make_rider().pk}/permissions",
                                 grant_body(perm_key="stations", organizational_unit=narrow.pk))
    assert code(response) == -4


def test_granting_again_overwrites_the_dates(manager, unit_a):
    make_grant(manager, "trips", unit=unit_a, write=True)
    target = make_rider()
    url = f"{API}/users/{target.pk}/permissions"
    assert code(client_for(manager).post(url, grant_body(perm_key="trips", organizational_unit=unit_a.pk))) == 0
    body = grant_body(perm_key="trips", organizational_unit=unit_a.pk, end_date="2027-06-30T00:00:00Z", write=True)
    assert code(client_for(manager).post(url, body)) == 0
    grant = AccessGrant.objects.get(user=target)
    assert grant.end_date.isoformat().startswith("2027-06-30") and grant.write


def test_end_date_must_follow_start_date(manager):
    response = client_for(manager).post(f"{API}/users/{make_rider().pk}/permissions", grant_body(
        perm_key="users.permissions", start_date="2026-05-01T00:00:00Z", end_date="2026-04-01T00:00:00Z"))
    assert code(response) == -2 and "end_date" in response.json()["message"]["fields"]
    assert AccessGrant.objects.count() == 1  # the manager's own


def test_roles_need_the_role_or_all_its_keys(manager, unit_a):
    role = make_role(key="night-shift", permissions=["trips", "stations"])
    target = make_rider()
    url = f"{API}/users/{target.pk}/roles"
    body = grant_body(role_key="night-shift", organizational_unit=unit_a.pk)
    make_grant(manager, "trips", unit=unit_a)
    assert code(client_for(manager).post(url, body)) == -4  # lacks `stations`
    make_grant(manager, "stations", unit=unit_a)
    assert code(client_for(manager).post(url, body)) == 0

    holder = make_rider()
    make_grant(holder, "users.permissions", write=True)
    make_grant(holder, role, unit=unit_a)  # holds the role itself
    assert code(client_for(holder).post(f"{API}/users/{make_rider().pk}/roles", body)) == 0
    # The role's keys reach the target through the role.
    response = client_for(target).get(f"{API}/trips", {"networks": unit_a.networks.get().pk})
    assert code(response) == 0


def test_revoking_needs_holding_and_an_existing_grant(manager, unit_a):
    target = make_rider()
    make_grant(target, "trips", unit=unit_a)
    url = f"{API}/users/{target.pk}/permissions"
    query = f"?perm_key=trips&organizational_unit={unit_a.pk}"
    assert code(client_for(manager).delete(url + query)) == -4
    make_grant(manager, "trips", unit=unit_a)
    assert code(client_for(manager).delete(url + "?perm_key=trips")) == -4  # the global one: not held globally
    assert code(client_for(manager).delete(url + query)) == 0
    assert not AccessGrant.objects.filter(user=target).exists()
    assert code(client_for(manager).delete(url + query)) == -5


def test_revoking_a_role(manager, unit_a):
    role = make_role(key="helpers", permissions=["trips"])
    target = make_rider()
    make_grant(target, role, unit=unit_a)
    make_grant(manager, "trips", unit=unit_a)
    url = f"{API}/users/{target.pk}/roles?role_key=helpers&organizational_unit={unit_a.pk}"
    assert code(client_for(manager).delete(url)) == 0
    assert not AccessGrant.objects.filter(user=target).exists()
    unknown = client_for(manager).delete(f"{API}/users/{target.pk}/roles?role_key=nobody")
    assert code(unknown) == -2 and "role_key" in unknown.json()["message"]["fields"]


def test_a_revoked_grant_stops_working_at_the_next_request(manager, unit_a):
    target = make_rider()
    make_grant(target, "trips", unit=unit_a)
    make_grant(manager, "trips", unit=unit_a)
    target_client = client_for(target)  # the same user object across requests
    trips = {"networks": unit_a.networks.get().pk}
    assert code(target_client.get(f"{API}/trips", trips)) == 0
    client_for(manager).delete(f"{API}/users/{target.pk}/permissions?perm_key=trips&organizational_unit={unit_a.pk}")
    assert code(target_client.get(f"{API}/trips", trips)) == -4


def test_list_user_permissions_shows_what_the_caller_may_see(manager, unit_a):
    target = make_rider()
    make_grant(target, "trips", unit=unit_a, end_date=timezone.now() + timedelta(days=3))
    make_grant(target, "stations")  # global
    scoped = make_rider()
    make_grant(scoped, "users.permissions", unit=unit_a)
    rows = client_for(scoped).get(f"{API}/users/{target.pk}/permissions").json()["data"]
    assert [(r["permission_key"], r["organizational_unit"]["id"], r["active"]) for r in rows] == [
        ("trips", unit_a.pk, True)]
    assert len(client_for(manager).get(f"{API}/users/{target.pk}/permissions").json()["data"]) == 2


def test_organizational_unit_lifecycle(admin_client):
    network = make_network()
    cluster, stray = make_cluster(network=network), make_cluster()
    body = {"name": "Lyon", "app_labels": [], "organizations": [], "networks": [network.pk], "clusters": [stray.pk]}
    response = admin_client.post(f"{API}/organizational-units", body, format="json")
    assert code(response) == -2 and "clusters" in response.json()["message"]["fields"]
    assert not OrganizationalUnit.objects.exists()

    response = admin_client.post(f"{API}/organizational-units", {**body, "clusters": [cluster.pk]}, format="json")
    unit = response.json()["data"]
    assert [n["id"] for n in unit["networks"]] == [network.pk] and [c["id"] for c in unit["clusters"]] == [cluster.pk]
    assert code(admin_client.post(f"{API}/organizational-units", {**body, "clusters": []}, format="json")) == -6

    holder = make_rider()
    make_grant(holder, "trips", unit=OrganizationalUnit.objects.get(pk=unit["id"]))
    response = admin_client.delete(f"{API}/organizational-units/{unit['id']}")
    assert response.json()["message"]["key"] == "organizational_unit.in_use"
    users = admin_client.get(f"{API}/organizational-units/{unit['id']}/users").json()["data"]
    assert [(u["email"], [g["permission_key"] for g in u["grants"]]) for u in users] == [(holder.email, ["trips"])]

    AccessGrant.objects.update(start_date=timezone.now() - timedelta(days=9), end_date=timezone.now() - timedelta(days=1))
    assert code(admin_client.delete(f"{API}/organizational-units/{unit['id']}")) == 0
    assert not OrganizationalUnit.objects.exists() and not AccessGrant.objects.exists()


def test_units_name_only_what_the_caller_holds(manager, unit_a):
    scoped = make_rider()
    make_grant(scoped, "users.permissions", unit=unit_a, write=True)
    outside = make_network()
    body = {"name": "Mixed", "app_labels": [], "organizations": [], "clusters": [],
            "networks": [unit_a.networks.get().pk, outside.pk]}
    assert code(client_for(scoped).post(f"{API}/organizational-units", body, format="json")) == -4
    # An empty unit would be visible to nobody scoped: it is refused too.
    empty = {**body, "networks": []}
    assert code(client_for(scoped).post(f"{API}/organizational-units", empty, format="json")) == -4
    assert OrganizationalUnit.objects.count() == 1
    ok = {**body, "networks": [unit_a.networks.get().pk]}
    assert code(client_for(scoped).post(f"{API}/organizational-units", ok, format="json")) == 0
    listed = client_for(scoped).get(f"{API}/organizational-units").json()["data"]
    assert {u["name"] for u in listed} == {"Unit A", "Mixed"}


def test_roles(admin_client):
    assert code(admin_client.post(f"{API}/roles", {"key": "support", "perms": ["trips"]}, format="json")) == 0
    assert admin_client.post(f"{API}/roles", {"key": "support", "perms": []}, format="json").json()["message"][
        "key"] == "role.key_taken"
    update = {"key": "support", "perms_to_add": ["users.support", "stations"], "perms_to_remove": ["trips"]}
    assert code(admin_client.put(f"{API}/roles", update, format="json")) == 0
    assert Role.objects.get().permissions == ["stations", "users.support"]
    both = {"key": "support", "perms_to_add": ["trips"], "perms_to_remove": ["trips"]}
    assert code(admin_client.put(f"{API}/roles", both, format="json")) == -2
    assert code(admin_client.put(f"{API}/roles", {**update, "key": "nobody"}, format="json")) == -5
    roles = admin_client.get(f"{API}/roles", {"lang": "fr"}).json()["data"]
    assert roles[0]["permissions"] == [{"key": "stations", "label": "Stations"},
                                       {"key": "users.support", "label": "Support utilisateurs"}]


def test_permission_labels_are_localized_and_can_be_retitled(admin_client):
    french = {p["key"]: p["label"] for p in admin_client.get(f"{API}/permissions", {"lang": "fr"}).json()["data"]}
    assert len(french) == 36 and french["trips"] == "Trajets"
    german = Language.objects.create(iso_639_1="de", name="Deutsch")
    Localization.objects.create(key="permission.trips", language=german, value="Fahrten")
    german_labels = {p["key"]: p["label"] for p in admin_client.get(f"{API}/permissions", {"lang": "de"}).json()["data"]}
    assert german_labels["trips"] == "Fahrten" and german_labels["stations"] == "Stations"  # English fallback


def test_global_user_count_counts_active_global_holders(admin_client, unit_a):
    for when in ("now", "expired"):
        user = make_rider()
        start = timezone.now() - timedelta(days=5)
        make_grant(user, "trips", start_date=start, end_date=None if when == "now" else start + timedelta(days=1))
    make_grant(make_rider(), "trips", unit=unit_a)
    assert admin_client.get(f"{API}/organizational-units/global-user-count").json()["data"] == 1
