"""listTrips' pages are read off an index in the keyset order, for every sort key and direction, whichever network
owns the newest trips (issue 20): the plan of the query the view runs is checked (apps.core.testing.plans)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.testing.clients import client_for
from apps.core.testing.plans import assert_served_by_index
from apps.networks.tests.factories import make_network
from apps.trips.api.views import TripList
from apps.trips.tests.factories import make_rider, make_trip

INDEX = {None: "trips_trip_network_796ad9_idx", "start_date": "trip_network_started_idx",
         "duration": "trip_duration_distance_idx", "distance": "trip_distance_duration_idx",
         ("end_date", "DESC"): "trip_network_ended_idx", ("end_date", "ASC"): "trip_network_ended_asc_idx"}


def rows_query(client, params) -> str:
    """The SQL of the page's rows (the query with a LIMIT over the trips)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/dashboard/v1/trips", params)
    assert response.json()["code"] == 0, response.json()
    # The page (or its ids), not a count whose subquery has an ORDER BY and a LIMIT of its own.
    pages = [q["sql"] for q in queries if q["sql"].startswith('SELECT "trips_trip"."id"') and "LIMIT" in q["sql"]
             and "ORDER BY" in q["sql"]]
    return pages[-1]


@pytest.mark.parametrize("sort_by", [None, *TripList.sort_fields])
@pytest.mark.parametrize("sort_dir", ["DESC", "ASC"])
def test_every_sort_key_is_served_by_its_index_without_sorting(superuser, sort_by, sort_dir):
    older, newer = make_network(), make_network()
    trips = [make_trip(network=older) for _ in range(3)] + [make_trip(network=newer) for _ in range(3)]
    client = client_for(superuser)
    params = {"networks": older.pk, **({"sort_by": sort_by, "sort_dir": sort_dir} if sort_by else
                                       {"primary_key_dir": sort_dir})}
    index = INDEX.get((sort_by, sort_dir)) or INDEX[sort_by]
    sql = rows_query(client, params)
    assert_served_by_index(sql, index)
    if sort_by is None:
        # `= ANY`, not `IN (...)`: with one network `IN` becomes `=`, and PostgreSQL may then walk the primary key
        # past every other network's newer trips instead of this index (measured: 413 ms -> 22 ms at 3M trips).
        assert '"network_id" = ANY(' in sql
    # The next page too (the keyset condition on (sort value, id)).
    assert_served_by_index(rows_query(client, {**params, "last_primary_key": trips[1].pk}), index)


def test_the_plain_rows_of_list_trips_are_trip_out_exactly(superuser):
    """listTrips builds its rows without TripOut (apps.trips.api.views.trip_out_rows): same JSON, field for field."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.fleet.tests.factories import make_cluster
    from apps.trips.api.views import TripOut
    from apps.trips.models import Trip, TripEvent, TripState

    network = make_network()
    cluster = make_cluster(network=network)
    started = timezone.now() - timedelta(minutes=30)
    running = make_trip(network=network, state=TripState.RUNNING, ended_at=None, started_at=started,
                        start_cluster=cluster)
    TripEvent.objects.create(trip=running, type=TripEvent.Type.PAUSE, timestamp=started + timedelta(minutes=10))
    make_trip(network=network, amount="2.3500", discount_amount="0.1000", end_cluster=cluster,
              billing_stop_at=started + timedelta(minutes=12))
    make_trip(network=network, state=TripState.CANCELLED, ended_at=None, running_duration=17)
    # Times on the second and with trailing zeros, a whole amount, text JSON must escape (and U+2028, which the
    # renderer escapes for JavaScript).
    on_the_second = started.replace(microsecond=0)
    make_trip(network=network, started_at=on_the_second, ended_at=on_the_second.replace(microsecond=120000),
              amount="3.0000", rider=make_rider(firstname='Zoë "Z" \\ \u2028', lastname="O'Neil\n"))
    response = client_for(superuser).get("/api/dashboard/v1/trips", {"networks": network.pk})
    data = response.json()["data"]
    assert b"\\u2028" in response.content and "\u2028".encode() not in response.content
    from apps.trips.selectors import show_live_durations

    trips = list(Trip.objects.filter(network=network).select_related(
        "rider", "vehicle__model", "start_cluster", "end_cluster").order_by("-id"))
    show_live_durations(trips=trips)
    import json

    from apps.core.api.renderers import EnvelopeJSONRenderer

    expected = json.loads(EnvelopeJSONRenderer().render(TripOut(trips, many=True).data))
    assert data == expected and len(data) == 4
    assert data[0]["start_date"] == on_the_second.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert data[0]["end_date"] == on_the_second.strftime("%Y-%m-%dT%H:%M:%S.120000Z")
    # Indented output (and the browsable API) go through DRF's encoder.
    indented = client_for(superuser).get("/api/dashboard/v1/trips", {"networks": network.pk},
                                         HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b'{\n  "code"') and indented.json()["data"] == expected
    assert data[-1]["running_duration"] > 0  # the running trip's live seconds (ids descend: it is the first made)


def test_a_filter_matching_few_trips_finds_them_first_then_sorts(superuser):
    """A network paused for weeks holds one trip in its last 30 days: walking the duration index through every
    trip of the network for one page would read it all; below SORT_FOUND_ROWS_BELOW matches, the page is the
    matches, sorted. (With no match at all, no page is read: the total says so.)"""
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.testing.plans import nodes, plan_of

    network = make_network()
    for days_ago in (200, 190, 5):
        make_trip(network=network, started_at=timezone.now() - timedelta(days=days_ago))
    client = client_for(superuser)
    since = (timezone.now() - timedelta(days=30)).isoformat()
    sql = rows_query(client, {"networks": network.pk, "start_date_min": since, "sort_by": "duration"})
    plan = [(node["Node Type"], node.get("Index Name")) for node in nodes(plan_of(sql))]
    assert ("Sort", None) in plan and not any(name == "trip_duration_distance_idx" for _kind, name in plan), plan
    # Without a filter every trip matches: the index order stays (test_every_sort_key_is_served_...).


def test_no_page_is_read_when_nothing_matches(superuser, django_assert_max_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    network = make_network()
    make_trip(network=network, started_at=timezone.now() - timedelta(days=200))
    since = (timezone.now() - timedelta(days=30)).isoformat()
    with CaptureQueriesContext(connection) as queries:
        response = client_for(superuser).get("/api/dashboard/v1/trips", {"networks": network.pk, "start_date_min": since,
                                                                        "sort_by": "duration"})
    assert response.json()["data"] == [] and response.json()["total"] == 0
    assert not [q for q in queries if 'FROM "trips_trip"' in q["sql"] and "LIMIT" in q["sql"]]


@pytest.mark.parametrize("rollup", [True, False])
def test_old_trips_newest_first_start_reading_where_they_are(superuser, rollup, settings):
    """Trips started (or ended) long ago, or of the oldest ids, in a newest-first order: the page's query carries the
    id range (or start or end bound) those filters imply, so the index walk starts at them; the rows are the same as
    without it."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.trips import rollups
    from apps.trips.models import Trip

    settings.TRIP_STATS_ROLLUPS = rollup
    network = make_network()
    now = timezone.now()
    for days_ago in (300, 299, 200, 100, 10, 1):
        make_trip(network=network, started_at=now - timedelta(days=days_ago, hours=2))
    if rollup:
        rollups.fill(network)
    trips = Trip.objects.filter(network=network)
    client = client_for(superuser)
    cut = (now - timedelta(days=150)).isoformat()
    cases = [({"start_date_max": cut}, trips.filter(started_at__lte=cut).order_by("-id"), '"id" <='),
             ({"start_date_min": cut, "primary_key_dir": "ASC"}, trips.filter(started_at__gte=cut).order_by("id"),
              '"id" >='),
             ({"end_date_max": cut}, trips.filter(ended_at__lte=cut).order_by("-id"), '"id" <='),
             ({"end_date_max": cut, "sort_by": "start_date"}, trips.filter(ended_at__lte=cut).order_by("-started_at"),
              '"started_at" <='),
             ({"start_date_max": cut, "sort_by": "end_date"},
              trips.filter(started_at__lte=cut).order_by("-ended_at", "-id"), '"ended_at" <='),
             ({"start_date_max": (now - timedelta(days=400)).isoformat()}, trips.none(), None)]
    older = sorted(trips.values_list("id", flat=True))[2]  # the ids of the three oldest trips
    cases += [({"trip_id_max": older, "sort_by": "start_date"},
               trips.filter(id__lte=older).order_by("-started_at", "-id"), '"started_at" <='),
              ({"trip_id_max": older, "sort_by": "end_date"},
               trips.filter(id__lte=older).order_by("-ended_at", "-id"), '"ended_at" <='),
              ({"trip_id_min": older, "trip_id_max": older, "sort_by": "end_date"}, trips.filter(id=older),
               '"ended_at" <=')]

    def check(params, expected, bound):
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/dashboard/v1/trips", {"networks": network.pk, **params}).json()
        assert [row["id"] for row in body["data"]] == [trip.pk for trip in expected], params
        assert body["total"] == len(expected)
        pages = [q["sql"] for q in queries if 'FROM "trips_trip"' in q["sql"] and "LIMIT" in q["sql"]]
        if bound:
            assert bound in pages[-1].split("WHERE", 1)[1], (params, pages[-1])

    for params, expected, bound in cases:
        check(params, list(expected), bound)
    endless = make_trip(network=network, state="cancelled", ended_at=None, started_at=now - timedelta(days=250))
    if rollup:
        rollups.fill(network)  # its day stored again
    # A trip without an end among them: no bound (it comes last, where the walk could not start), same rows.
    check({"start_date_max": cut, "sort_by": "end_date"},
          list(trips.filter(started_at__lte=cut, ended_at__isnull=False).order_by("-ended_at", "-id")) + [endless], None)
    check({"trip_id_max": endless.pk, "sort_by": "end_date"},
          list(trips.filter(ended_at__isnull=False).order_by("-ended_at", "-id")) + [endless], None)


@pytest.mark.parametrize("sort_dir", ["DESC", "ASC"])
def test_found_then_sorted_pages_walk_every_match_once_in_order(superuser, sort_dir, django_assert_max_num_queries):
    """Below the threshold the page's ids are sorted over the trips alone, then their rows read: same rows, same
    order, every page, as the index walk."""
    from apps.trips.models import Trip

    network = make_network()
    for n in range(25):
        make_trip(network=network, duration=100 + n % 7 * 50, distance=(n * 37) % 11 * 100)
    client = client_for(superuser)
    params = {"networks": network.pk, "duration_max": 300, "sort_by": "distance", "sort_dir": sort_dir,
              "page_size": 10}
    key = ("-distance", "-id") if sort_dir == "DESC" else ("distance", "id")
    expected = list(Trip.objects.filter(network=network, duration__lte=300).order_by(*key).values_list("id", flat=True))
    seen, last = [], None
    while True:
        with django_assert_max_num_queries(9):
            body = client.get("/api/dashboard/v1/trips", {**params, **({"last_primary_key": last} if last else {})}).json()
        assert body["total"] == len(expected)
        seen += [row["id"] for row in body["data"]]
        if len(body["data"]) < 10:
            break
        last = body["data"][-1]["id"]
    assert seen == expected and len(expected) > 10


@pytest.mark.parametrize("filter_key, sort_by", [("duration_max", "distance"), ("distance_max", "duration")])
def test_a_duration_range_by_distance_is_found_and_sorted_on_one_index(superuser, filter_key, sort_by, monkeypatch):
    """Long trips are far ones: walking the distance index from the top for short trips reads most of the network
    first (18 s at 7M trips). Whatever their number, the matches' ids are found and sorted over the trips alone, where the
    (network, duration, id) index carries the distance (and the reverse): at 7M trips PostgreSQL reads that one
    index and no table row (bench/trips_matrix.py; a 30-row table says nothing about which index it picks)."""
    from apps.trips import selectors

    monkeypatch.setattr(selectors, "SORT_FOUND_ROWS_BELOW", 1)  # far more matches than the usual threshold
    network = make_network()
    for n in range(30):
        make_trip(network=network, duration=100 + n * 60, distance=300 + n * 250)
    client = client_for(superuser)
    sql = rows_query(client, {"networks": network.pk, filter_key: 2000, "sort_by": sort_by})
    assert sql.startswith('SELECT "trips_trip"."id" AS "pk" FROM "trips_trip" WHERE') and "JOIN" not in sql
    assert f'ORDER BY COALESCE("trips_trip"."{sort_by}", "trips_trip"."{sort_by}") DESC' in sql
    # Another order for the same filter walks its own index, as before; so do long trips longest first (they are
    # at the top of the walk).
    sql = rows_query(client, {"networks": network.pk, filter_key: 2000, "sort_by": "start_date"})
    assert "COALESCE" not in sql
    sql = rows_query(client, {"networks": network.pk, filter_key.replace("_max", "_min"): 1000, "sort_by": sort_by})
    assert "COALESCE" not in sql and "LIMIT 20" in sql


@pytest.mark.parametrize("kind,params", [("demo", {"demo": "true"}), ("cancelled", {"state": "cancelled"})])
@pytest.mark.parametrize("sort_by", ["duration", "distance"])
@pytest.mark.parametrize("sort_dir", ["DESC", "ASC"])
def test_demo_and_cancelled_trips_by_duration_or_distance_read_their_own_index(superuser, kind, params, sort_by,
                                                                              sort_dir):
    """Tens of thousands of them at 7M trips: too many to find and sort, too few to meet soon walking the network's
    whole duration or distance index (150-520 ms); a partial index per kind and key gives them in order."""
    from apps.trips.models import TripState

    network = make_network()
    make_trip(network=network, demo=True, duration=60, distance=300)
    make_trip(network=network, state=TripState.CANCELLED, duration=30, distance=100)
    make_trip(network=network, duration=90, distance=900)
    query = {"networks": network.pk, "sort_by": sort_by, "sort_dir": sort_dir, **params}
    assert_served_by_index(rows_query(client_for(superuser), query), f"trip_{kind}_{sort_by}_idx")
    data = client_for(superuser).get("/api/dashboard/v1/trips", query).json()
    assert data["total"] == 1 and len(data["data"]) == 1
    assert (data["data"][0]["demo"] if kind == "demo" else data["data"][0]["state"] == "cancelled")


def test_the_page_reads_names_by_subqueries_not_joins(superuser):
    """Five joins over the much-indexed trips cost PostgreSQL 4-7 ms of planning per page at 10M trips (for under
    1 ms of reading); the names come from one subquery per related row, each planned on its own."""
    network = make_network()
    make_trip(network=network)
    sql = rows_query(client_for(superuser), {"networks": network.pk})
    assert 'FROM "trips_trip" WHERE' in sql, sql  # the trips alone; the vehicle's subquery joins its model


def test_a_model_name_is_read_as_its_vehicles_ids(superuser):
    """PostgreSQL cannot tell how many trips a model's name matches through a join (40,000 estimated, 7M matching:
    a page of 500 took 53 s); the name is turned into the model's vehicle ids first, or dropped when every vehicle is
    of that model."""
    from apps.fleet.tests.factories import make_vehicle

    network = make_network()
    scooter = make_vehicle(network=network, model_name="Scooter")
    bike = make_vehicle(network=make_network(), model_name="Bike")  # moved: its trips stay in the first network
    trips = {vehicle: make_trip(network=network, vehicle=vehicle) for vehicle in (scooter, bike)}
    client = client_for(superuser)

    def listed(model_name):
        query = {"networks": network.pk, "model_name": model_name, "sort_by": "distance"}
        body = client.get("/api/dashboard/v1/trips", query).json()
        return [row["id"] for row in body["data"]], body["total"], rows_query(client, query) if body["total"] else ""

    ids, total, sql = listed("BIKE")
    assert ids == [trips[bike].pk] and total == 1 and '"vehicle_id" = ANY(' in sql and "UPPER(" not in sql
    assert listed("no such model")[:2] == ([], 0)
    scooter.model = bike.model
    scooter.save()
    ids, total, sql = listed("bike")  # every vehicle is a bike: every trip, and no condition on the vehicle
    assert sorted(ids) == sorted(trip.pk for trip in trips.values()) and total == 2 and '"vehicle_id"' not in \
        sql.split(" WHERE ")[-1]


def test_a_serial_number_is_looked_up_first_then_its_vehicles_trips_by_id(superuser):
    """Joined on the serial, PostgreSQL could not know a vehicle's share of the trips and walked the network's id index
    through 117,000 of Metro's trips for a page (bench/trips_matrix.py): the vehicle is found first, its trips by id
    (`vehicle_id IN (...)`: one vehicle's index range); the total is that vehicle's trips; an unknown serial has
    none."""
    from apps.fleet.tests.factories import make_vehicle

    network = make_network()
    vehicle, other = make_vehicle(network=network, serial_number="AB-77"), make_vehicle(network=network)
    mine = [make_trip(network=network, vehicle=vehicle) for _ in range(3)]
    make_trip(network=network, vehicle=other)
    client = client_for(superuser)
    body = client.get("/api/dashboard/v1/trips", {"networks": network.pk, "serial_number": "ab-77"}).json()
    assert body["total"] == 3 and [row["id"] for row in body["data"]] == [trip.pk for trip in reversed(mine)]
    sql = rows_query(client, {"networks": network.pk, "serial_number": "AB-77"})
    assert f'"trips_trip"."vehicle_id" IN ({vehicle.pk})' in sql and '"fleet_vehicle"' not in sql.split(" FROM ")[1]
    assert client.get("/api/dashboard/v1/trips", {"networks": network.pk, "serial_number": "nope"}).json() == {
        "code": 0, "data": [], "total": 0}


@pytest.mark.parametrize("direction", ["DESC", "ASC"])
def test_few_matches_in_id_order_are_found_then_sorted(superuser, direction):
    """Below SORT_FOUND_ROWS_BELOW matches, a page by id is the matches sorted by COALESCE(id, id), in the order and
    in the seek, so that no index serves it: PostgreSQL reads the filter's own index and sorts a few rows, where it
    walked the id index or intersected the filter's rows with a misestimated range of it (Winter Town's one start
    station, 1,000 deep: 151 -> 19 ms). Every row comes once, in id order, page after page."""
    from apps.core.testing.plans import nodes, plan_of
    from apps.fleet.tests.factories import make_cluster

    network = make_network()
    cluster = make_cluster(network=network)
    trips = [make_trip(network=network, start_cluster=cluster) for _ in range(25)]
    make_trip(network=network)
    client = client_for(superuser)
    params = {"networks": network.pk, "cluster_start_id": cluster.pk, "page_size": 10, "primary_key_dir": direction}
    expected = sorted((trip.pk for trip in trips), reverse=direction == "DESC")
    seen, last = [], None
    while True:
        body = client.get("/api/dashboard/v1/trips", {**params, **({"last_primary_key": last} if last else {})}).json()
        assert body["total"] == 25
        seen += [row["id"] for row in body["data"]]
        if len(body["data"]) < 10:
            break
        last = body["data"][-1]["id"]
    assert seen == expected
    sql = rows_query(client, {**params, "last_primary_key": expected[9]})
    assert 'COALESCE("trips_trip"."id", "trips_trip"."id")' in sql.split("WHERE")[1]
    plan = [(node["Node Type"], node.get("Index Name")) for node in nodes(plan_of(sql))]
    assert ("Sort", None) in plan and not any(name == INDEX[None] for _kind, name in plan), plan


@pytest.mark.parametrize("sort_dir", ["DESC", "ASC"])
@pytest.mark.parametrize("network_count", [1, 2])
def test_a_short_duration_range_by_distance_is_read_one_duration_at_a_time(superuser, sort_dir, network_count,
                                                                           monkeypatch, django_assert_max_num_queries):
    """Trips of 300 s or less by distance (Metro's 528,000 at 7M): each second's first page off the (network,
    duration, distance, id) index, merged, instead of finding and sorting every short trip (issue 38). Every page,
    for one network and merged over two, gives the rows the plain order gives, each once."""
    from apps.core.api.pagination import Spread
    from apps.core.testing.plans import nodes, plan_of
    from apps.trips.models import Trip

    monkeypatch.setattr(Spread, "ROWS_PER_VALUE", 0)  # a handful of rows: spread anyway
    networks = [make_network() for _ in range(network_count)]
    for n in range(54):  # distances tie across durations and networks; a few trips too long to match
        make_trip(network=networks[n % network_count], duration=(100 + n % 5 * 40) if n % 9 else 900,
                  distance=(n * 37) % 7 * 100)
    client = client_for(superuser)
    params = {"networks": ",".join(str(network.pk) for network in networks), "duration_min": 100,
              "duration_max": 300, "sort_by": "distance", "sort_dir": sort_dir, "page_size": 10}
    key = ("-distance", "-id") if sort_dir == "DESC" else ("distance", "id")
    expected = list(Trip.objects.filter(network__in=networks, duration__range=(100, 300)).order_by(*key)
                    .values_list("id", flat=True))
    seen, last = [], None
    while True:
        with django_assert_max_num_queries(9):
            body = client.get("/api/dashboard/v1/trips", {**params, **({"last_primary_key": last} if last else {})}).json()
        assert body["code"] == 0, body
        assert body["total"] == len(expected)
        seen += [row["id"] for row in body["data"]]
        if len(body["data"]) < 10:
            break
        last = body["data"][-1]["id"]
    assert seen == expected and len(expected) == 48

    with CaptureQueriesContext(connection) as queries:
        client.get("/api/dashboard/v1/trips", {**params, "last_primary_key": expected[9]})
    [sql] = [query["sql"] for query in queries if "CROSS JOIN LATERAL" in query["sql"]]  # one statement, merged
    assert sql.count("generate_series") == network_count
    scans = [(node["Node Type"], node.get("Index Name"), node.get("Relation Name")) for node in nodes(plan_of(sql))]
    assert any(index == "trip_duration_then_dist_idx" for _kind, index, _table in scans), scans
    assert not any(kind == "Seq Scan" and table == "trips_trip" for kind, _index, table in scans), scans


@pytest.mark.parametrize("filters, spread", [
    ({"duration_max": 300, "sort_by": "distance"}, (0, 300)),
    ({"duration_min": 60, "duration_max": 1059, "sort_by": "distance", "sort_dir": "ASC"}, (60, 1059)),
    ({"duration_min": 60, "duration_max": 1060, "sort_by": "distance"}, None),  # 1,001 seconds: too many descents
    ({"duration_min": 2000, "sort_by": "distance"}, None),  # no end to the range
    ({"duration_max": 300, "sort_by": "duration"}, None),  # its own index gives the order
    ({"duration_max": 300}, None),
    ({"duration_max": 300, "state": ["finished"], "sort_by": "distance"}, None),  # another filter: not every row
])
def test_which_lists_are_spread_over_their_durations(filters, spread):
    from apps.trips.selectors import spread_of

    found = spread_of(filters=filters)
    assert (found and (found.column, found.low, found.high)) == (spread and ("duration", *spread))
