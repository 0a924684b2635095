"""listTrips over several networks and as a scoped staff member (issue 38).

- A page over several networks is each network's page read off its own index, merged: the same rows, in the same
  order, page after page, as one sort of all the matching trips; each branch of the statement is served by its index
  without sorting (only the merged few rows are sorted).
- A scoped staff member's request sends the superuser's SQL, word for word, for every filter and sort key, over one
  network and several: the scope's own filter, implied by the asked networks, is left out (it made PostgreSQL
  underestimate the network's trips and choose another plan: 114 ms against 14 at 10M trips).
"""
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.access.tests.factories import make_unit
from apps.core.testing.clients import client_for
from apps.core.testing.plans import nodes, plan_of
from apps.fleet.tests.factories import make_cluster, make_vehicle
from apps.networks.tests.factories import make_network
from apps.trips.api.views import TripList
from apps.trips.models import Trip, TripState
from apps.trips.tests.factories import make_rider, make_trip
from apps.trips.tests.test_plans import INDEX

URL = "/api/dashboard/v1/trips"
ORDER_FIELDS = {None: "id", **TripList.sort_fields}


@pytest.fixture
def networks(db):
    """Two networks whose trips interleave in time and ids, with ties on every key and trips under way (no end)."""
    first, second = make_network(name="First"), make_network(name="Second")
    now = timezone.now()
    for n in range(32):
        network = (first, second)[n % 3 == 0]
        under_way = n in (4, 9, 21, 26)
        make_trip(network=network, started_at=now - timedelta(hours=80 - n * 2 + (n % 4)),
                  state=TripState.RUNNING if under_way else TripState.FINISHED,
                  ended_at=None if under_way else now - timedelta(hours=70 - n * 2 - (n % 5)),
                  duration=(n % 4) * 300, distance=(n % 5) * 700, demo=n % 6 == 0)
    make_trip(network=make_network(name="Not asked"))  # never on a page
    return first, second


@pytest.fixture
def callers(superuser, staff_user, grant_access, networks):
    """The superuser, and a staff member granted `trips` on exactly the asked networks."""
    grant_access(staff_user, "trips", where=make_unit(networks=networks))
    return {"superuser": superuser, "scoped staff": staff_user}


def expected_order(network_ids, sort_by, sort_dir, **filters):
    key = F(ORDER_FIELDS[sort_by])
    descending = sort_dir == "DESC"
    order = key.desc(nulls_last=True) if descending else key.asc(nulls_last=True)
    return list(Trip.objects.filter(network_id__in=network_ids, **filters)
                .order_by(order, "-id" if descending else "id").values_list("id", flat=True))


def walk(client, params, page_size=10, max_queries=None, assert_max=None):
    seen, last, total = [], None, None
    while True:
        query = {**params, "page_size": page_size, **({"last_primary_key": last} if last else {})}
        if assert_max is not None:
            with assert_max(max_queries):
                body = client.get(URL, query).json()
        else:
            body = client.get(URL, query).json()
        assert body["code"] == 0, body
        total = body["total"] if total is None else total
        assert body["total"] == total
        seen += [row["id"] for row in body["data"]]
        if len(body["data"]) < page_size:
            return seen, total
        last = body["data"][-1]["id"]


@pytest.mark.parametrize("caller", ["superuser", "scoped staff"])
@pytest.mark.parametrize("sort_by", [None, *TripList.sort_fields])
@pytest.mark.parametrize("sort_dir", ["DESC", "ASC"])
def test_a_page_over_several_networks_is_the_merge_of_each_networks_pages(callers, networks, caller, sort_by, sort_dir,
                                                                        django_assert_max_num_queries):
    client = client_for(callers[caller])
    ids = [network.pk for network in networks]
    params = {"networks": ",".join(map(str, ids)),
              **({"sort_by": sort_by, "sort_dir": sort_dir} if sort_by else {"primary_key_dir": sort_dir})}
    expected = expected_order(ids, sort_by, sort_dir)
    # The stored counts (2), the cursor's value, the merged page, the names (3 statements in one round trip, counted
    # as 3), the access log; plus the grants for a staff member.
    seen, total = walk(client, params, max_queries=14, assert_max=django_assert_max_num_queries)
    assert seen == expected and total == len(expected) == 32


@pytest.mark.parametrize("filters, condition", [
    ({"state": "running"}, {"state": "running"}),
    ({"demo": "true"}, {"demo": True}),
    ({"duration_max": 300}, {"duration__lte": 300}),
    ({"duration_min": 300}, {"duration__gte": 300}),
    ({"distance_min": 1400}, {"distance__gte": 1400}),
])
@pytest.mark.parametrize("sort_by", [None, "duration", "end_date"])
def test_filtered_pages_over_several_networks_merge_the_matches(callers, networks, filters, condition, sort_by):
    ids = [network.pk for network in networks]
    for caller in callers.values():
        params = {"networks": ",".join(map(str, ids)), **filters, **({"sort_by": sort_by} if sort_by else {})}
        seen, total = walk(client_for(caller), params)
        expected = expected_order(ids, sort_by, "DESC", **condition)
        assert seen == expected and total == len(expected) and expected


def test_a_network_without_matches_is_not_read(superuser, networks):
    """A network whose total is 0 adds no branch: over a network paused for weeks, its whole duration index would be
    walked for nothing. With one network left, the page is that network's page, as if asked alone."""
    first, second = networks
    vehicle = make_vehicle(network=first)
    mine = [make_trip(network=first, vehicle=vehicle, duration=60 * n) for n in range(3)]
    client = client_for(superuser)
    both = {"networks": f"{first.pk},{second.pk}", "serial_number": vehicle.serial_number, "sort_by": "duration"}
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL, both).json()
    assert [row["id"] for row in body["data"]] == [trip.pk for trip in reversed(mine)] and body["total"] == 3
    pages = [q["sql"] for q in queries if 'FROM "trips_trip"' in q["sql"] and "LIMIT" in q["sql"]]
    assert pages and not any("UNION" in sql for sql in pages)
    with CaptureQueriesContext(connection) as alone:
        client.get(URL, {**both, "networks": first.pk})
    assert [q["sql"] for q in alone if q["sql"] in pages] == pages  # the same statement as the one network's


def merged_page_sql(client, params) -> str:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL, params).json()
    assert body["code"] == 0 and body["data"], body
    merged = [q["sql"] for q in queries if q["sql"].startswith('(SELECT "trips_trip"."id" AS "pk"')]
    assert len(merged) == 1, [q["sql"] for q in queries]
    return merged[0]


@pytest.mark.parametrize("caller", ["superuser", "scoped staff"])
@pytest.mark.parametrize("sort_by", [None, *TripList.sort_fields])
@pytest.mark.parametrize("sort_dir", ["DESC", "ASC"])
def test_each_networks_branch_is_served_by_its_index(callers, networks, caller, sort_by, sort_dir):
    """The branches of the merged page read their network's index in the page's order and sort nothing; what merges
    them (a Merge Append, or a sort of their few rows: at most page_size each) is PostgreSQL's choice."""
    client = client_for(callers[caller])
    params = {"networks": ",".join(str(network.pk) for network in networks),
              **({"sort_by": sort_by, "sort_dir": sort_dir} if sort_by else {"primary_key_dir": sort_dir})}
    index = INDEX.get((sort_by, sort_dir)) or INDEX[sort_by]
    first_page = client.get(URL, {**params, "page_size": 10}).json()["data"]
    for query in (params, {**params, "last_primary_key": first_page[-1]["id"]}):
        plan = plan_of(merged_page_sql(client, query))
        appends = [node for node in nodes(plan) if node["Node Type"] in ("Append", "Merge Append")]
        assert len(appends) == 1 and len(appends[0]["Plans"]) == 2, plan
        for branch in appends[0]["Plans"]:
            kinds = [(node["Node Type"], node.get("Index Name")) for node in nodes(branch)]
            assert any(name == index for _kind, name in kinds), kinds
            assert not any("Sort" in kind for kind, _name in kinds), kinds


def trips_sql(client, params) -> list[str]:
    """Every statement of the request that reads the trips (not the grants, not the access log)."""
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL, params).json()
    assert body["code"] == 0, body
    return [q["sql"] for q in queries if '"trips_trip' in q["sql"]]


def test_a_scoped_staff_member_sends_the_superusers_sql_for_every_filter_and_order(callers, networks):
    first, second = networks
    cluster = make_cluster(network=first, name="Gare")
    vehicle = make_vehicle(network=first)
    rider = make_rider(email="someone@riders.test")
    make_trip(network=first, vehicle=vehicle, rider=rider, start_cluster=cluster, end_cluster=cluster)
    now = timezone.now()
    filters = [{}, {"state": "finished"}, {"demo": "true"}, {"start_date_min": (now - timedelta(days=1)).isoformat()},
               {"start_date_max": (now - timedelta(hours=20)).isoformat()},
               {"end_date_min": (now - timedelta(hours=20)).isoformat()},
               {"end_date_max": (now - timedelta(hours=10)).isoformat()}, {"trip_id_min": 3}, {"trip_id_max": 10 ** 6},
               {"serial_number": vehicle.serial_number}, {"model_name": vehicle.model.name}, {"email": "someone"},
               {"user_id": rider.pk}, {"cluster_start_name": "gare"}, {"cluster_start_id": cluster.pk},
               {"cluster_end_name": "gare"}, {"cluster_end_id": cluster.pk}, {"duration_min": 300},
               {"duration_max": 600}, {"distance_min": 700}, {"distance_max": 1400}]
    superuser, staff = client_for(callers["superuser"]), client_for(callers["scoped staff"])
    compared = 0
    for network_set in (str(first.pk), f"{first.pk},{second.pk}"):
        for sort_by in (None, *TripList.sort_fields):
            for case in filters:
                params = {"networks": network_set, **case, **({"sort_by": sort_by} if sort_by else {})}
                expected = trips_sql(superuser, params)
                assert trips_sql(staff, params) == expected, params
                # The next page too.
                ids = [row["id"] for row in superuser.get(URL, {**params, "page_size": 10}).json()["data"]]
                if ids:
                    next_page = {**params, "page_size": 10, "last_primary_key": ids[0]}
                    assert trips_sql(staff, next_page) == trips_sql(superuser, next_page), next_page
                compared += 1
    assert compared == 2 * 5 * len(filters)


def test_a_cluster_limited_grant_keeps_its_own_filter(staff_user, grant_access, networks):
    """The scope's filter is left out only where the asked networks imply it. Trips are network-level rows, so a grant
    limited to some of a network's clusters still sees the network's trips (docs/access.md); a network outside the
    grant is refused (-4) before anything is read."""
    first, second = networks
    grant_access(staff_user, "trips", where=make_unit(clusters=[make_cluster(network=first)]))
    client = client_for(staff_user)
    body = client.get(URL, {"networks": first.pk}).json()
    assert body["total"] == Trip.objects.filter(network=first).count() and body["code"] == 0
    refused = client.get(URL, {"networks": f"{first.pk},{second.pk}"})
    assert refused.status_code == 403 and refused.json()["code"] == -4


@pytest.mark.parametrize("sort_by", ["start_date", "end_date"])
def test_each_networks_part_starts_its_walk_at_its_own_bound(superuser, sort_by):
    """Trips of the older ids, newest first, over two networks: each network's branch carries the latest start (or
    end) of its own trips below the id, not the latest of both networks' (which let the other network's walk start
    at its newest trip and read past all of them)."""
    old, recent = make_network(name="Old"), make_network(name="Recent")
    now = timezone.now()
    early = [make_trip(network=old, started_at=now - timedelta(days=300 - n)) for n in range(3)]
    late = [make_trip(network=recent, started_at=now - timedelta(days=3 - n)) for n in range(3)]
    cut = late[1].pk
    params = {"networks": f"{old.pk},{recent.pk}", "trip_id_max": cut, "sort_by": sort_by}
    client = client_for(superuser)
    body = client.get(URL, params).json()
    assert [row["id"] for row in body["data"]] == [late[1].pk, late[0].pk, *(trip.pk for trip in reversed(early))]
    sql = merged_page_sql(client, params)
    column = "started_at" if sort_by == "start_date" else "ended_at"
    old_branch, recent_branch = sorted(sql.split(" UNION ALL "), key=lambda branch: f"'{{{old.pk}}}'" not in branch)
    latest_old = max(getattr(trip, column) for trip in early)
    assert f'"{column}" <= ' in old_branch and latest_old.strftime("%Y-%m-%d") in old_branch.split(f'"{column}" <= ')[1]
    assert now.strftime("%Y-%m-%d") not in old_branch.split(f'"{column}" <= ')[1][:40]
