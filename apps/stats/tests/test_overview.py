"""The dashboard's home page (overview) and the trip heatmap."""
from datetime import date, datetime, timedelta, timezone as tz
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.core.testing.responses import code, fields_of
from apps.core.timezones import local_midnight
from apps.fleet.models import StationOutage
from apps.fleet.tests.factories import make_alert, make_cluster, make_maintenance, make_station, make_vehicle
from apps.networks.tests.factories import make_network
from apps.stocks.tests.factories import make_stock, store
from apps.trips import heat, rollups
from apps.trips.models import Trip, TripDay, pack_counts
from apps.trips.tests.factories import make_rider, make_trip

API = "/api/dashboard/v1"


def _networks():
    return {"networks": str(make_station().cluster.network_id)}


HEAT = {"lat": 45.76, "lng": 4.83, "latDeg": 0.1, "lngDeg": 0.1, "date_min": "2026-03-10T00:00:00Z",
        "date_max": "2026-05-31T00:00:00Z", "zoom": 0}

CASES = [
    OperationCase("getOverviewStations", lambda: Request(query=_networks())),
    OperationCase("getOverviewVehicles", lambda: Request(query=_networks())),
    OperationCase("getOverviewTrips", lambda: Request(query={**_networks(), "timezone": "Europe/Paris"})),
    OperationCase("getOverviewUsers", lambda: Request(query={**_networks(), "timezone": "Europe/Paris"})),
    OperationCase("getOverviewMap", lambda: Request(query=_networks())),
    OperationCase("getHeatmap", lambda: Request(query={**HEAT, "networks": str(make_trip(
        start_latitude=Decimal("45.7601"), start_longitude=Decimal("4.8301"),
        started_at=datetime(2026, 4, 2, tzinfo=tz.utc)).network_id)})),
]

globals().update(contract_tests(CASES))


@pytest.fixture
def network(db):
    return make_network()


def test_fleet_overview(admin_client, network, django_assert_max_num_queries):
    cluster = make_cluster(network=network)
    station, retired = make_station(cluster=cluster, spots=4), make_station(cluster=cluster, spots=2,
                                                                          decommissioned_at=timezone.now())
    StationOutage.objects.create(station=station, started_at=timezone.now(), reason="power")
    spots = list(station.spots.all())
    docked = [make_vehicle(network=network, spot=spot, battery_level=90) for spot in spots[:2]]
    floating = make_vehicle(network=network, latitude=Decimal("45.7"), longitude=Decimal("4.8"), battery_level=10)
    riding = make_vehicle(network=network, model_name="E-Scooter S2")
    make_trip(network=network, vehicle=riding, state="running", ended_at=None)
    make_maintenance(target=docked[0])
    store(make_vehicle(network=network), make_stock(network=network))
    make_vehicle(network=network, decommissioned_at=timezone.now())
    make_alert(network=network)
    make_vehicle()  # another network
    with django_assert_max_num_queries(8):
        stations = admin_client.get(f"{API}/overview/stations", {"networks": network.pk}).json()["data"]
    assert stations == {"cluster_count": 1, "station_count": 1, "spot_count": 4, "docked_vehicle_count": 2,
                        "free_spot_count": 2, "stations_in_outage": 1}
    vehicles = admin_client.get(f"{API}/overview/vehicles", {"networks": network.pk}).json()["data"]
    assert {k: v for k, v in vehicles.items() if k != "by_model"} == {
        "vehicle_count": 5, "docked": 2, "free_floating": 3, "low_battery": 1, "in_trip": 1, "in_maintenance": 1,
        "in_stock": 1, "open_alerts": 1}
    assert vehicles["by_model"] == [{"model": "E-Bike V3", "count": 4}, {"model": "E-Scooter S2", "count": 1}]
    map_data = admin_client.get(f"{API}/overview/map", {"networks": network.pk}).json()["data"]
    assert map_data["clusters"][0]["docked_vehicle_count"] == 2 and map_data["clusters"][0]["spot_count"] == 4
    assert [v["serial_number"] for v in map_data["vehicles"]] == [floating.serial_number]
    assert retired.pk


def test_trips_and_users_overview_count_days_of_the_requested_zone(admin_client, network):
    now = timezone.now()
    rider, regular = make_rider(), make_rider()
    make_trip(network=network, rider=regular, started_at=now - timedelta(days=60))
    for days_ago, who in [(0, rider), (0, regular), (1, rider), (5, rider), (20, regular), (40, regular)]:
        make_trip(network=network, rider=who, started_at=now - timedelta(days=days_ago, minutes=1))
    make_trip(network=network, state="running", ended_at=None, started_at=now - timedelta(minutes=5))
    query = {"networks": network.pk, "timezone": "UTC"}
    trips = admin_client.get(f"{API}/overview/trips", query).json()["data"]
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    started = list(Trip.objects.filter(network=network).values_list("started_at", flat=True))
    assert trips["today"] == sum(s >= midnight for s in started)
    assert trips["yesterday"] == sum(midnight - timedelta(days=1) <= s < midnight for s in started)
    assert trips["running"] == 1 and trips["last_30_days"] == sum(s >= midnight - timedelta(days=29) for s in started)
    users = admin_client.get(f"{API}/overview/users", query).json()["data"]
    # Active counts any trip started (the running one too); riders and new riders count finished trips: `regular`
    # rode 60 days ago, so only `rider` is new; the rider of the running trip is not a rider yet.
    assert users == {"active_today": 3, "active_7_days": 3, "active_30_days": 3, "riders": 2, "new_30_days": 1}


@pytest.mark.parametrize("stored", [False, True])
def test_users_overview_reads_riders_from_stored_days_and_the_trips_alike(admin_client, network, stored):
    now = timezone.now()
    riders = [make_rider() for _ in range(5)]
    for days_ago, who in [(400, 0), (90, 1), (45, 1), (31, 2), (29, 2), (10, 3), (3, 3), (1, 4), (0, 4)]:
        make_trip(network=network, rider=riders[who], started_at=now - timedelta(days=days_ago, hours=1))
    make_trip(network=network, rider=riders[4], state="cancelled", ended_at=None, started_at=now - timedelta(days=200))
    for days_ago in (25, 5):  # active (a trip of any state), never a rider
        make_trip(network=network, state="cancelled", ended_at=None, started_at=now - timedelta(days=days_ago))
    if stored:
        assert rollups.fill(network) > 300
    for zone in ("Europe/Paris", "Pacific/Auckland"):  # the network's own zone, and another one
        users = admin_client.get(f"{API}/overview/users", {"networks": network.pk, "timezone": zone}).json()["data"]
        month = local_midnight(now.astimezone(ZoneInfo(zone)).date() - timedelta(days=29), ZoneInfo(zone))
        started = Trip.objects.filter(network=network, state="finished").values_list("rider_id", "started_at")
        first = {}
        for rider, at in sorted(started, key=lambda row: row[1]):
            first.setdefault(rider, at)
        assert users["riders"] == 5  # not the riders of cancelled trips only
        assert users["new_30_days"] == sum(at >= month for at in first.values()), zone
        every = list(Trip.objects.filter(network=network).values_list("rider_id", "started_at"))
        for name, days in (("active_today", 0), ("active_7_days", 6), ("active_30_days", 29)):
            since = local_midnight(now.astimezone(ZoneInfo(zone)).date() - timedelta(days=days), ZoneInfo(zone))
            assert users[name] == len({rider for rider, at in every if at >= since}), (zone, name)
    # The union of the stored rider sets a process keeps (rollups.riders_before) follows trip writes and refills.
    query = {"networks": network.pk, "timezone": "Europe/Paris"}
    make_trip(network=network, started_at=now - timedelta(days=300))  # a new rider, on a stored day
    assert admin_client.get(f"{API}/overview/users", query).json()["data"]["riders"] == 6
    rollups.fill(network)
    make_trip(network=network, rider=riders[0], started_at=now - timedelta(days=250))  # not a new rider
    assert admin_client.get(f"{API}/overview/users", query).json()["data"]["riders"] == 6
    for trip in Trip.objects.filter(rider=riders[4]):  # rider 4's trips cancelled: no longer a rider
        trip.state = "cancelled"
        trip.save()
    assert admin_client.get(f"{API}/overview/users", query).json()["data"]["riders"] == 5


def test_heatmap_snaps_points_to_the_zoom_grid_by_month(admin_client, network):
    for lat, lng, day in [("45.76012", "4.83049", 2), ("45.76038", "4.83021", 20), ("45.76012", "4.83049", 40),
                          ("45.90000", "4.83000", 2)]:  # the last is outside the area
        make_trip(network=network, start_latitude=Decimal(lat), start_longitude=Decimal(lng),
                  started_at=datetime(2026, 3, 1, tzinfo=tz.utc) + timedelta(days=day))
    url = f"{API}/heatmap"
    coarse = admin_client.get(url, {**HEAT, "networks": network.pk}).json()["data"]
    assert coarse == [{"latitude": 45.76, "longitude": 4.83, "date": "2026-03-01", "count": 2},
                      {"latitude": 45.76, "longitude": 4.83, "date": "2026-04-01", "count": 1}]
    half = admin_client.get(url, {**HEAT, "networks": network.pk, "zoom": 1}).json()["data"]
    assert [(p["latitude"], p["longitude"]) for p in half if p["date"] == "2026-03-01"] == [(45.76, 4.8305),
                                                                                           (45.7605, 4.83)]
    fine = admin_client.get(url, {**HEAT, "networks": network.pk, "zoom": 2}).json()["data"]
    assert {(p["latitude"], p["longitude"]) for p in fine} == {(45.7601, 4.8305), (45.7604, 4.8302)}
    response = admin_client.get(url, {**HEAT, "networks": network.pk, "zoom": 3})
    assert code(response) == -2 and "zoom" in fields_of(response)
    response = admin_client.get(url, {**HEAT, "networks": network.pk, "date_max": "2026-01-01T00:00:00Z"})
    assert code(response) == -2 and "date_max" in fields_of(response)


def _expected_heat(trips, zoom_per_degree: int, box: tuple, low_date, date_max) -> list[dict]:
    """The heatmap computed in Python from the trips: each start snapped half away from zero, kept when its grid
    point is in the box, counted per month of the trip's network's zone."""
    (lat_low, lat_high), (lng_low, lng_high) = box
    counts = {}
    for trip in trips:
        if trip.start_latitude is None or trip.started_at > date_max:
            continue
        local = trip.started_at.astimezone(ZoneInfo(trip.network.timezone))
        if local.date() < low_date:
            continue
        cell = tuple(int((value * zoom_per_degree).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                     for value in (trip.start_latitude, trip.start_longitude))
        point = tuple(Decimal(n) / zoom_per_degree for n in cell)
        if lat_low <= point[0] <= lat_high and lng_low <= point[1] <= lng_high:
            key = (local.date().replace(day=1).isoformat(), float(point[0]), float(point[1]))
            counts[key] = counts.get(key, 0) + 1
    return [{"latitude": lat, "longitude": lng, "date": month, "count": n}
            for (month, lat, lng), n in sorted(counts.items())]


@pytest.mark.parametrize("stored", [False, True])
def test_heatmap_counts_grid_points_in_the_area_per_local_month_from_stored_days_and_trips_alike(
        admin_client, network, stored, django_assert_max_num_queries):
    new_york = make_network(timezone="America/New_York")
    utc = tz.utc
    spots = [  # (network, latitude, longitude, started at, state)
        (network, "45.76012", "4.83049", datetime(2026, 3, 2, 9, tzinfo=utc), "finished"),
        (network, "45.76038", "4.83021", datetime(2026, 3, 20, 9, tzinfo=utc), "cancelled"),  # any state counts
        (network, "45.81040", "4.83000", datetime(2026, 3, 5, tzinfo=utc), "finished"),  # past the edge, point on it
        (network, "45.81060", "4.83000", datetime(2026, 3, 5, tzinfo=utc), "finished"),  # its point is outside
        (network, "45.70960", "4.78000", datetime(2026, 3, 6, tzinfo=utc), "finished"),  # both edges, point inside
        (network, "45.76012", "4.83049", datetime(2026, 3, 31, 22, 30, tzinfo=utc), "finished"),  # April in Paris
        (network, "45.76012", "4.83049", datetime(2026, 2, 28, 23, 30, tzinfo=utc), "finished"),  # March in Paris
        (network, "45.76012", "4.83049", datetime(2026, 2, 27, tzinfo=utc), "finished"),  # before date_min's month
        (network, "45.76012", "4.83049", datetime(2026, 4, 15, 11, tzinfo=utc), "finished"),  # the last day's part
        (network, "45.76012", "4.83049", datetime(2026, 4, 15, 13, tzinfo=utc), "finished"),  # after date_max
        (network, None, None, datetime(2026, 3, 3, tzinfo=utc), "finished"),  # no position
        (new_york, "45.76012", "4.83049", datetime(2026, 4, 1, 2, tzinfo=utc), "finished"),  # March in New York
        (new_york, "-45.76012", "-4.83049", datetime(2026, 3, 8, tzinfo=utc), "finished"),  # another area
    ]
    trips = [make_trip(network=place, start_latitude=lat and Decimal(lat), start_longitude=lng and Decimal(lng),
                       started_at=at, state=state, **({} if state == "finished" else {"ended_at": None}))
             for place, lat, lng, at, state in spots]
    if stored:
        assert rollups.fill(network) > 200 and rollups.fill(new_york) > 200
    query = {**HEAT, "networks": f"{network.pk},{new_york.pk}", "date_max": "2026-04-15T12:00:00Z"}
    for zoom, per_degree in ((0, 1000), (1, 2000), (2, 10000)):
        # Per time zone: the stored days, their cells the first time a process reads them (stored_values), the
        # trips they do not cover.
        with django_assert_max_num_queries(10):
            points = admin_client.get(f"{API}/heatmap", {**query, "zoom": zoom}).json()["data"]
        box = ((Decimal("45.71"), Decimal("45.81")), (Decimal("4.78"), Decimal("4.88")))
        assert points == _expected_heat(trips, per_degree, box, date(2026, 3, 1),
                                        datetime(2026, 4, 15, 12, tzinfo=utc)), zoom
    assert {"latitude": 45.81, "longitude": 4.83, "date": "2026-03-01", "count": 1} in points or zoom == 2
    coarse = admin_client.get(f"{API}/heatmap", query).json()["data"]
    assert {(p["date"], p["latitude"], p["longitude"]): p["count"] for p in coarse} == {
        ("2026-03-01", 45.76, 4.83): 4, ("2026-04-01", 45.76, 4.83): 2, ("2026-03-01", 45.81, 4.83): 1,
        ("2026-03-01", 45.71, 4.78): 1}
    # A trip moved through the models (the admin, the API) is counted where it now starts, stored days included.
    moved = trips[0]
    moved.start_latitude = Decimal("45.77")
    moved.save()
    coarse = admin_client.get(f"{API}/heatmap", query).json()["data"]
    assert {(p["date"], p["latitude"]): p["count"] for p in coarse}[("2026-03-01", 45.77)] == 1


def test_heatmap_reads_stored_cells_for_settled_days(admin_client, network):
    trip = make_trip(network=network, start_latitude=Decimal("45.76012"), start_longitude=Decimal("4.83049"),
                     started_at=datetime(2026, 3, 2, 9, tzinfo=tz.utc))
    rollups.fill(network)
    # A write that skips the models (and so the day's invalidation) is not seen: the answer is the stored cells'.
    Trip.objects.filter(pk=trip.pk).update(start_latitude=Decimal("45.79"))
    points = admin_client.get(f"{API}/heatmap", {**HEAT, "networks": network.pk}).json()["data"]
    assert points == [{"latitude": 45.76, "longitude": 4.83, "date": "2026-03-01", "count": 1}]


def test_heatmap_reads_the_process_copy_of_the_stored_cells_and_follows_a_day_stored_anew(
        admin_client, network, settings, monkeypatch):
    """apps.trips.stored_values: the stored days' cells are decoded once per process and summed once per month (the
    next heatmap reads no day's cells and sums nothing), a day stored anew is decoded and its month summed again,
    and the points are those the rows give (copy off)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.trips import stored_values
    from apps.trips.stored_values import STORED_DAYS

    sums = []
    summed = stored_values._summed
    monkeypatch.setattr(stored_values, "_summed", lambda days: sums.append(len(days)) or summed(days))

    other = make_network()
    for place, lat, day in [(network, "45.76012", 2), (network, "45.77012", 12), (other, "45.76012", 20)]:
        make_trip(network=place, start_latitude=Decimal(lat), start_longitude=Decimal("4.83049"),
                  started_at=datetime(2026, 3, day, 9, tzinfo=tz.utc))
    rollups.fill(network), rollups.fill(other)
    STORED_DAYS.clear()
    query = {**HEAT, "networks": f"{network.pk},{other.pk}", "date_min": "2026-03-01T00:00:00Z"}

    def points():
        with CaptureQueriesContext(connection) as queries:
            answer = admin_client.get(f"{API}/heatmap", query).json()["data"]
        return ({(p["latitude"], p["date"]): p["count"] for p in answer},
                sum('"heat_0"' in q["sql"] for q in queries.captured_queries))

    assert points() == ({(45.76, "2026-03-01"): 2, (45.77, "2026-03-01"): 1}, 1)
    assert len(sums) == 6  # March, April and May of each network
    assert points()[1] == 0 and len(sums) == 6  # the copy, its months' sums
    # The day of the 12th stored anew (its trip moved by a write that skips the models, then the day recomputed).
    Trip.objects.filter(network=network, started_at__day=12).update(start_latitude=Decimal("45.79012"))
    TripDay.objects.filter(network=network, day=date(2026, 3, 12)).delete()
    rollups.fill(network)
    assert points() == ({(45.76, "2026-03-01"): 2, (45.79, "2026-03-01"): 1}, 1)
    assert len(sums) == 7  # the network's March only
    settings.TRIP_STORED_VALUES_MB = 0
    assert points() == ({(45.76, "2026-03-01"): 2, (45.79, "2026-03-01"): 1}, 1)  # the rows: the same points


def test_heatmap_decodes_the_area_of_a_day_of_many_cells_as_the_whole_day(admin_client, network):
    """A busy day's cells are stored with their skip index; the heatmap decodes the blocks of the area's latitudes
    (CellBox.packed_range) and answers what the whole day holds there, edges included."""
    import numpy as np

    from apps.trips.models import SortedIntegersField, TripDay

    make_trip(network=network, start_latitude=None, start_longitude=None,
              started_at=datetime(2026, 3, 12, 9, tzinfo=tz.utc))
    rollups.fill(network)
    query = {**HEAT, "networks": network.pk, "latDeg": 0.004, "lngDeg": 0.004, "zoom": 2}
    box = heat.CellBox(2, query["lat"], query["lng"], query["latDeg"], query["lngDeg"])
    # 120 x 80 cells of the 0.0001° grid around the area (its 41 x 41 and a margin on every side), two trips each.
    lats = range(box.lat[0] - 40, box.lat[1] + 40)
    lngs = range(box.lng[0] - 20, box.lng[1] + 20)
    cells = [(lat + heat._LAT_OFFSET) << heat._LNG_BITS | (lng + heat._LNG_OFFSET) for lat in lats for lng in lngs]
    TripDay.objects.filter(network=network, day=date(2026, 3, 12)).update(heat_2=pack_counts(np.repeat(cells, 2)))
    stored = TripDay.objects.filter(network=network, day=date(2026, 3, 12)).values_list(
        SortedIntegersField.raw("heat_2"), flat=True).get()
    assert stored[0] & SortedIntegersField._INDEXED  # 9,600 cells: ten blocks
    points = admin_client.get(f"{API}/heatmap", query).json()["data"]
    assert points == [{"latitude": lat / 10000, "longitude": lng / 10000, "date": "2026-03-01", "count": 2}
                      for lat in range(box.lat[0], box.lat[1] + 1) for lng in range(box.lng[0], box.lng[1] + 1)]


def test_heat_cells_keep_exact_counts_past_the_packed_limit():
    packed = pack_counts([7] * ((1 << 20) + 2) + [3])
    tally = heat.MonthTally(heat.CellBox(2, 0, 0, 180, 360))
    tally.add_days([(date(2026, 5, 4), packed)])
    assert len(packed) == 3  # the busy cell in two entries
    # Packed cells 3 and 7 are the points (-90, -179.9997) and (-90, -179.9993) of the finest grid.
    assert tally.points() == [
        {"latitude": -90.0, "longitude": -179.9997, "date": "2026-05-01", "count": 1},
        {"latitude": -90.0, "longitude": -179.9993, "date": "2026-05-01", "count": (1 << 20) + 2}]


def test_a_large_heatmap_is_gzipped_on_the_wire_and_answered_304_when_unchanged(admin_client, network, settings):
    """Issue 38: a year's heatmap of a city is ~2 MB of JSON; clients that accept gzip get it compressed, and a client
    holding the same answer (its ETag) gets a 304 without the body. Small answers are left as they are."""
    import gzip
    import json

    for n in range(400):  # 400 grid points of zoom 2 in the area, in one month
        make_trip(network=network, start_latitude=Decimal("45.75") + Decimal(n % 20) / 10000,
                  start_longitude=Decimal("4.82") + Decimal(n // 20) / 10000,
                  started_at=datetime(2026, 4, 2, tzinfo=tz.utc))
    query = {**HEAT, "networks": network.pk, "zoom": 2}
    plain = admin_client.get(f"{API}/heatmap", query)
    assert plain.status_code == 200 and "Content-Encoding" not in plain and len(plain.json()["data"]) == 400
    settings.GZIP_MIN_BYTES = len(plain.content) - 1
    packed = admin_client.get(f"{API}/heatmap", query, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) * 5 < len(plain.content)
    etag = plain["ETag"]
    assert packed["ETag"].lstrip("W/") == etag.lstrip("W/")  # the uncompressed content's
    again = admin_client.get(f"{API}/heatmap", query, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    make_trip(network=network, start_latitude=Decimal("45.75"), start_longitude=Decimal("4.85"),
              started_at=datetime(2026, 4, 3, tzinfo=tz.utc))
    changed = admin_client.get(f"{API}/heatmap", query, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and len(changed.json()["data"]) == 401
    settings.GZIP_MIN_BYTES = len(changed.content) + 1  # below the threshold: as it is
    small = admin_client.get(f"{API}/heatmap", query, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in small and small.content == changed.content


def test_a_box_too_large_for_a_dense_index_sums_the_same_points(admin_client, network, monkeypatch):
    """MonthTally sums points by np.bincount over a dense (month, row, column) index; past DENSE_LIMIT bins it sorts
    the keys instead: the same points, counts and order."""
    for n, (lat, lng, day) in enumerate([("45.76012", "4.83049", 2), ("45.80000", "4.79000", 20),
                                        ("45.76012", "4.83049", 40), ("45.72000", "4.87000", 41)]):
        make_trip(network=network, start_latitude=Decimal(lat), start_longitude=Decimal(lng),
                  started_at=datetime(2026, 3, 12, tzinfo=tz.utc) + timedelta(days=day, hours=n))
    query = {**HEAT, "networks": network.pk, "zoom": 2}
    dense = admin_client.get(f"{API}/heatmap", query).json()["data"]
    monkeypatch.setattr(heat.MonthTally, "DENSE_LIMIT", 1)
    assert admin_client.get(f"{API}/heatmap", query).json()["data"] == dense
    assert [(p["date"], p["latitude"], p["longitude"], p["count"]) for p in dense] == [
        ("2026-03-01", 45.7601, 4.8305, 1), ("2026-04-01", 45.72, 4.87, 1), ("2026-04-01", 45.7601, 4.8305, 1),
        ("2026-04-01", 45.8, 4.79, 1)]
