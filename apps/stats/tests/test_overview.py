"""The dashboard's home page (overview) and the trip heatmap."""
from datetime import datetime, timedelta, timezone as tz
from decimal import Decimal
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
from apps.trips import rollups
from apps.trips.models import Trip
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
    if stored:
        assert rollups.fill(network) > 300
    for zone in ("Europe/Paris", "Pacific/Auckland"):  # the network's own zone, and another one
        users = admin_client.get(f"{API}/overview/users", {"networks": network.pk, "timezone": zone}).json()["data"]
        month = local_midnight(now.astimezone(ZoneInfo(zone)).date() - timedelta(days=29), ZoneInfo(zone))
        started = Trip.objects.filter(network=network, state="finished").values_list("rider_id", "started_at")
        first = {}
        for rider, at in sorted(started, key=lambda row: row[1]):
            first.setdefault(rider, at)
        assert users["riders"] == 5
        assert users["new_30_days"] == sum(at >= month for at in first.values()), zone


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
