"""What a unit-scoped grant sees, in the API and in the admin, and what resolving rights costs."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm
from rest_framework.test import APIClient

from apps.fleet.models import Station
from apps.fleet.tests.factories import make_cluster, make_station
from apps.networks.tests.factories import make_network
from apps.trips.models import Trip
from apps.trips.tests.factories import make_trip

from .factories import make_grant, make_role, make_unit


@pytest.fixture
def fleet(db):
    """Network A with clusters c1, c2; network B with c3; stations and trips everywhere."""
    a, b = make_network(name="Alpha"), make_network(name="Beta")
    c1, c2, c3 = make_cluster(network=a, name="A-one"), make_cluster(network=a, name="A-two"), make_cluster(
        network=b, name="B-one")
    stations = {c: [make_station(cluster=c, name=f"{c.name} st{i}") for i in range(2)] for c in (c1, c2, c3)}
    trips = {
        "a": [make_trip(network=a, start_cluster=c1), make_trip(network=a, start_cluster=c2), make_trip(network=a)],
        "b": [make_trip(network=b, start_cluster=c3)],
    }
    return {"a": a, "b": b, "c1": c1, "c2": c2, "c3": c3, "stations": stations, "trips": trips}


@pytest.fixture
def agent(django_user_model):
    return django_user_model.objects.create_user(email="agent@example.com", password="pw-agent-123", is_staff=True)


@pytest.fixture
def agent_on_a_c1(fleet, agent):
    unit = make_unit(networks=[fleet["a"]], clusters=[fleet["c1"]])
    make_grant(agent, "stations", unit=unit)
    make_grant(agent, "trips", unit=unit)
    return agent


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def data_ids(response):
    body = response.json()
    assert body["code"] == 0, body
    return {row["id"] for row in body["data"]}


def test_unit_with_one_network_and_one_cluster_in_the_api(fleet, agent_on_a_c1):
    client = api(agent_on_a_c1)
    c1_stations = {s.pk for s in fleet["stations"][fleet["c1"]]}
    assert data_ids(client.get(f"/api/dashboard/v1/clusters/{fleet['c1'].pk}/stations")) == c1_stations
    for other in ("c2", "c3"):
        response = client.get(f"/api/dashboard/v1/clusters/{fleet[other].pk}/stations")
        assert (response.status_code, response.json()["code"]) == (404, -5)

    assert data_ids(client.get("/api/dashboard/v1/clusters", {"networks": fleet["a"].pk})) == {fleet["c1"].pk}
    a_trips = {t.pk for t in fleet["trips"]["a"]}
    assert data_ids(client.get("/api/dashboard/v1/trips", {"networks": fleet["a"].pk})) == a_trips
    for networks in (f"{fleet['b'].pk}", f"{fleet['a'].pk},{fleet['b'].pk}"):
        response = client.get("/api/dashboard/v1/trips", {"networks": networks})
        assert (response.status_code, response.json()["code"]) == (403, -4)
    response = client.get(f"/api/dashboard/v1/trips/{fleet['trips']['b'][0].pk}")
    assert (response.status_code, response.json()["code"]) == (404, -5)


def test_unit_with_one_network_and_one_cluster_in_restrict(fleet, agent_on_a_c1):
    stations = Station.objects.restrict(agent_on_a_c1, "stations")
    assert set(stations) == set(fleet["stations"][fleet["c1"]])
    assert set(Trip.objects.restrict(agent_on_a_c1, "trips")) == set(fleet["trips"]["a"])
    assert not Trip.objects.restrict(agent_on_a_c1, "trips", write=True).exists()  # no write modifier


def test_unit_with_one_network_and_one_cluster_in_the_admin(fleet, agent_on_a_c1):
    client = Client()
    client.force_login(agent_on_a_c1)
    page = client.get("/admin/fleet/station/").content.decode()
    for cluster, stations in fleet["stations"].items():
        for station in stations:
            assert (station.name in page) == (cluster == fleet["c1"]), station.name
    trips_page = client.get("/admin/trips/trip/")
    assert trips_page.status_code == 200
    assert {t.pk for t in trips_page.context["cl"].result_list} == {t.pk for t in fleet["trips"]["a"]}
    # Objects outside the scope do not exist for the admin either; read-only grants cannot change.
    outside = fleet["stations"][fleet["c2"]][0]
    assert client.get(f"/admin/fleet/station/{outside.pk}/change/").status_code == 302
    inside = fleet["stations"][fleet["c1"]][0]
    response = client.post(f"/admin/fleet/station/{inside.pk}/change/", {"name": "renamed", "cluster": fleet["c1"].pk})
    assert response.status_code == 403
    inside.refresh_from_db()
    assert inside.name != "renamed"
    # Models whose key the agent does not hold are not even listed.
    assert client.get("/admin/networks/thirdparty/").status_code == 403


def test_admin_write_grant_cannot_move_an_object_out_of_scope(fleet, agent):
    unit = make_unit(networks=[fleet["a"]], clusters=[fleet["c1"]])
    make_grant(agent, "stations", unit=unit, write=True)
    client = Client()
    client.force_login(agent)
    station = fleet["stations"][fleet["c1"]][0]
    response = client.post(f"/admin/fleet/station/{station.pk}/change/",
                           {"name": "moved", "cluster": fleet["c2"].pk, "serial_number": "", "spots-TOTAL_FORMS": 0,
                            "spots-INITIAL_FORMS": 0})
    assert response.status_code == 200  # the form refuses the choice: c2 is not offered
    assert "Select a valid choice" in response.content.decode()
    station.refresh_from_db()
    assert station.cluster_id == fleet["c1"].pk


def test_django_guardian_object_permissions_are_one_more_grant_source(fleet, agent):
    assign_perm("fleet.stations", agent, fleet["c1"])
    assign_perm("networks.trips", agent, fleet["a"])
    client = api(agent)
    assert data_ids(client.get(f"/api/dashboard/v1/clusters/{fleet['c1'].pk}/stations")) == {
        s.pk for s in fleet["stations"][fleet["c1"]]}
    assert client.get(f"/api/dashboard/v1/clusters/{fleet['c2'].pk}/stations").json()["code"] == -5
    assert data_ids(client.get("/api/dashboard/v1/trips", {"networks": fleet["a"].pk})) == {
        t.pk for t in fleet["trips"]["a"]}
    assert client.get("/api/dashboard/v1/trips", {"networks": fleet["b"].pk}).json()["code"] == -4

    # The write modifier is its own codename: read alone cannot close the network.
    assign_perm("networks.networks.manage", agent, fleet["b"])
    assert client.delete(f"/api/dashboard/v1/networks/{fleet['b'].pk}").json()["code"] == -4
    assign_perm("networks.networks.manage.write", agent, fleet["b"])
    assert client.delete(f"/api/dashboard/v1/networks/{fleet['b'].pk}").json()["code"] == 0
    # A network the agent may not change is not found, like any object outside its scope.
    assert client.delete(f"/api/dashboard/v1/networks/{fleet['a'].pk}").json()["code"] == -5


def test_group_object_permissions_count_too(fleet, agent):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Alpha support")
    agent.groups.add(group)
    assign_perm("networks.trips", group, fleet["a"])
    assert data_ids(api(agent).get("/api/dashboard/v1/trips", {"networks": fleet["a"].pk})) == {
        t.pk for t in fleet["trips"]["a"]}


def count_queries(client, *args):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(*args)
    assert response.json()["code"] == 0
    return len(queries)


def test_resolving_rights_costs_a_fixed_number_of_queries(fleet, agent):
    make_grant(agent, "trips", unit=make_unit(networks=[fleet["a"]]))
    few = count_queries(api(agent), "/api/dashboard/v1/trips", {"networks": fleet["a"].pk})

    # Many more grants, of every kind: keys and roles on units, object permissions, groups.
    for i in range(8):
        network = make_network()
        make_grant(agent, "trips", unit=make_unit(networks=[network], clusters=[make_cluster(network=network)]))
        make_grant(agent, make_role(permissions=["trips", "stations", "users.list"]),
                   unit=make_unit(networks=[make_network()]))
        assign_perm("networks.trips", agent, make_network())
        assign_perm("fleet.stations", agent, make_cluster())
    many = count_queries(api(agent), "/api/dashboard/v1/trips", {"networks": fleet["a"].pk})
    assert many == few
    # Rights: dated grants + object permissions; the list: stored day counts + a count of the other days
    # (apps.trips.rollups.trip_total) + page + the page's names; the access log: savepoint, insert, release.
    assert many <= 9


def test_rights_are_resolved_once_per_request(fleet, agent_on_a_c1, django_assert_max_num_queries):
    from apps.core.permissions import forget_grants, resolve_scope

    forget_grants(agent_on_a_c1)
    with django_assert_max_num_queries(2):  # dated grants + object permissions, then cached
        for _ in range(20):
            for key in ("trips", "stations", "users.list"):
                resolve_scope(agent_on_a_c1, key)
                resolve_scope(agent_on_a_c1, key, write=True)


def test_object_permission_pages_are_for_superusers(fleet, agent, superuser):
    make_grant(agent, "networks.manage", write=True)
    url = f"/admin/networks/network/{fleet['a'].pk}/permissions/"
    client = Client()
    client.force_login(agent)
    assert client.get(f"/admin/networks/network/{fleet['a'].pk}/change/").status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_staff_cannot_raise_their_own_rights_in_the_admin(agent):
    make_grant(agent, "users.list", write=True)
    client = Client()
    client.force_login(agent)
    page = client.get(f"/admin/accounts/user/{agent.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()


def test_prepared_rights_queries_read_what_the_orm_reads(fleet, agent):
    """The per-request rights queries run precompiled SQL; their rows match the ORM's."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from apps.access import grants
    from apps.fleet.models import Cluster
    from apps.networks.models import Network

    make_grant(agent, make_role(permissions=["trips", "stations"]), unit=make_unit(
        networks=[fleet["a"]], clusters=[fleet["c1"]]), write=True)
    make_grant(agent, "users.list")
    assign_perm("fleet.stations", agent, fleet["c3"])
    assign_perm("networks.trips.write", agent, fleet["b"])
    now = timezone.now()
    assert grants.ACTIVE_GRANTS.rows(user_id=agent.pk, now=now) == list(grants._active_grants(agent.pk, now))
    types = ContentType.objects.get_for_models(Network, Cluster)
    ids = {"network_type": types[Network].pk, "cluster_type": types[Cluster].pk}
    prepared = grants.OBJECT_PERMISSIONS.rows(user_id=agent.pk, **ids)
    assert sorted(map(str, prepared)) == sorted(map(str, grants._object_permissions(agent.pk, **ids)))
    assert len(prepared) == 2


def test_admin_grant_form_offers_only_units_the_manager_covers(fleet, agent):
    mine = make_unit(name="Mine", networks=[fleet["a"]])
    make_unit(name="Theirs", networks=[fleet["b"]])
    make_grant(agent, "users.permissions", unit=mine, write=True)
    client = Client()
    client.force_login(agent)
    form = client.get("/admin/access/accessgrant/add/").context["adminform"].form
    assert [u.name for u in form.fields["organizational_unit"].queryset] == ["Mine"]
