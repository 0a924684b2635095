"""The public GBFS 3.0 feed: every file of every demo network valid against the official schemas, the cross-file
rules, rotating vehicle ids, caching (ETag / 304), the switch in the admin, and a fixed number of queries."""
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.fleet.tests.factories import make_vehicle
from apps.networks.tests.factories import make_network
from apps.opendata.models import NetworkFeed
from apps.trips.models import TripState
from apps.trips.tests.factories import make_trip

from .standards import errors, gbfs_validator

BASE = "/gbfs/v3"


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


@pytest.fixture
def demo(demo_data):
    return [network for network in demo_data if network.closed_at is None]


def test_every_file_of_every_demo_network_is_valid_and_consistent(demo):
    client = Client()
    manifest = get(client, f"{BASE}/manifest.json")
    assert not errors(gbfs_validator("manifest"), manifest)
    assert {d["system_id"] for d in manifest["data"]["datasets"]} == {f"fleetadmin-{n.pk}" for n in demo}
    for network in demo:
        discovery = get(client, f"{BASE}/{network.pk}/gbfs.json")
        assert not errors(gbfs_validator("gbfs"), discovery)
        files = {}
        for feed in discovery["data"]["feeds"]:
            assert feed["url"].startswith("http://testserver/gbfs/v3/")
            files[feed["name"]] = document = get(client, feed["url"])
            assert not errors(gbfs_validator(feed["name"]), document), (network, feed["name"])
            assert document["version"] == "3.0" and document["ttl"] >= 0
        assert {"system_information", "station_information", "station_status", "vehicle_status", "vehicle_types",
                "geofencing_zones", "system_alerts", "system_pricing_plans"} <= set(files), network

        # Cross-file rules the schemas cannot express.
        langs = set(files["system_information"]["data"]["languages"])
        stations = {s["station_id"] for s in files["station_information"]["data"]["stations"]}
        assert [s["station_id"] for s in files["station_status"]["data"]["stations"]] == sorted(stations, key=int)
        types = {t["vehicle_type_id"] for t in files["vehicle_types"]["data"]["vehicle_types"]}
        plans = {p["plan_id"] for p in files["system_pricing_plans"]["data"]["plans"]}
        used = {v["vehicle_type_id"] for v in files["vehicle_status"]["data"]["vehicles"]}
        used |= {t["vehicle_type_id"] for s in files["station_status"]["data"]["stations"]
                 for t in s["vehicle_types_available"]}
        assert used <= types and files["vehicle_status"]["data"]["vehicles"]
        assert {t["default_pricing_plan_id"] for t in files["vehicle_types"]["data"]["vehicle_types"]} <= plans
        ids = [v["vehicle_id"] for v in files["vehicle_status"]["data"]["vehicles"]]
        assert len(ids) == len(set(ids))
        for plan in files["system_pricing_plans"]["data"]["plans"]:
            assert {text["language"] for text in plan["name"] + plan["description"]} == langs
        zones = files["geofencing_zones"]["data"]["geofencing_zones"]["features"]
        assert zones, network  # every demo network has a border at least
        # A no-parking zone comes first, where no ride ends.
        assert zones[0]["properties"]["rules"][0]["ride_end_allowed"] is False, network


def test_vehicle_ids_change_after_a_trip_and_riding_vehicles_are_not_listed(db):
    network = make_network()
    vehicle = make_vehicle(network=network, latitude="45.75", longitude="4.85")
    client = Client()

    def listed():
        cache.clear()
        return [v["vehicle_id"] for v in get(client, f"{BASE}/{network.pk}/vehicle_status.json")["data"]["vehicles"]]

    before = listed()
    assert len(before) == 1 and listed() == before  # stable between trips
    trip = make_trip(network=network, vehicle=vehicle, state=TripState.RUNNING)
    assert listed() == []  # on a trip: not available to rent
    trip.state, trip.ended_at = TripState.FINISHED, timezone.now()
    trip.save()
    after = listed()
    assert len(after) == 1 and after != before
    # An opaque token: neither the row's id (a small number, which a hex digest may contain by chance) nor its serial.
    assert after[0] != str(vehicle.pk) and vehicle.serial_number not in after[0]


def test_a_file_is_cached_for_its_ttl_and_answered_304_when_unchanged(db, django_assert_max_num_queries):
    network = make_network()
    make_vehicle(network=network, latitude="45.75", longitude="4.85")
    cache.clear()
    client = Client()
    url = f"{BASE}/{network.pk}/vehicle_status.json"
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=10" and first["ETag"]
    with django_assert_max_num_queries(3):  # the network and its pricing rules; the file from the cache
        again = client.get(url)
    assert again.content == first.content
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    cache.delete(f"gbfs:{network.pk}:vehicle_status:testserver")  # the ttl passed, nothing changed
    rebuilt = client.get(url)
    assert rebuilt["ETag"] == first["ETag"]  # same data: still 304 for pollers


@pytest.mark.parametrize("name", ["station_status", "vehicle_status"])
def test_a_realtime_file_stays_fresh_and_keeps_its_etag_while_its_data_does_not_change(db, name):
    from apps.fleet.tests.factories import make_cluster, make_station
    from apps.opendata import gbfs

    network = make_network()
    make_station(cluster=make_cluster(network=network))
    make_vehicle(network=network, latitude="45.75", longitude="4.85")
    client, url = Client(), f"{BASE}/{network.pk}/{name}.json"
    start = timezone.now().replace(microsecond=0)
    first = client.get(url)
    rows = first.json()["data"]["stations" if name == "station_status" else "vehicles"]
    assert rows and all(row["last_reported"] == first.json()["last_updated"] for row in rows)
    cache.delete(f"gbfs:{network.pk}:{name}:testserver")  # the ttl passed; ten minutes later, nothing changed
    later = start + timedelta(minutes=10)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gbfs, "now", lambda: later)
        rebuilt = client.get(url)
    assert rebuilt["ETag"] == first["ETag"]
    assert rebuilt.json()["last_updated"] == gbfs.timestamp(later, gbfs.ZoneInfo(network.timezone))  # fresh
    assert rebuilt.json()["data"] == first.json()["data"]  # last_reported: when the data last changed
    assert not errors(gbfs_validator(name), rebuilt.json())


def test_conditional_requests_take_weak_tags_lists_and_a_star_and_head_answers_headers_only(db):
    network = make_network()
    client, url = Client(), f"{BASE}/{network.pk}/system_information.json"
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    for sent in (etag, etag.removeprefix("W/"), f'"other", {etag}', "*"):
        assert client.get(url, HTTP_IF_NONE_MATCH=sent).status_code == 304, sent
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200
    head = client.head(url)
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == etag
    assert int(head["Content-Length"]) == len(first.content)
    assert client.head(f"{BASE}/manifest.json").status_code == 200
    assert client.post(url).status_code == 405


def test_docks_of_a_disabled_station_that_hold_vehicles_are_not_disabled_docks(db):
    from apps.fleet.models import Spot, StationOutage
    from apps.fleet.tests.factories import make_cluster, make_station

    network = make_network()
    station = make_station(cluster=make_cluster(network=network))
    spots = list(Spot.objects.filter(station=station))
    make_vehicle(network=network, spot=spots[0])
    StationOutage.objects.create(station=station, started_at=timezone.now(), reason=StationOutage.Reason.choices[0][0])
    status = Client().get(f"{BASE}/{network.pk}/station_status.json").json()["data"]["stations"][0]
    assert status["num_docks_disabled"] == len(spots) - 1 and status["num_docks_available"] == 0
    assert status["num_vehicles_available"] + status["num_vehicles_disabled"] == 1


def test_a_network_can_switch_its_feed_off(db):
    network = make_network()
    NetworkFeed.objects.create(network=network, gbfs_enabled=False)
    cache.clear()
    client = Client()
    assert client.get(f"{BASE}/{network.pk}/gbfs.json").status_code == 404
    assert client.get(f"{BASE}/{network.pk}/vehicle_status.json").status_code == 404
    assert f"fleetadmin-{network.pk}" not in client.get(f"{BASE}/manifest.json").content.decode()
    assert client.get(f"{BASE}/999999/gbfs.json").status_code == 404


def test_files_cost_a_fixed_number_of_queries_whatever_the_fleet(db, django_assert_max_num_queries):
    from apps.fleet.tests.factories import make_cluster, make_station

    network = make_network()
    for n in range(30):
        make_vehicle(network=network, latitude="45.75", longitude="4.85")
    for n in range(5):
        make_station(cluster=make_cluster(network=network), spots=4)
    make_trip(network=network, started_at=timezone.now() - timedelta(hours=1))
    client = Client()
    for name in ("vehicle_status", "station_status", "station_information", "vehicle_types", "geofencing_zones",
                 "system_information", "system_alerts"):
        cache.clear()
        with django_assert_max_num_queries(8):
            get(client, f"{BASE}/{network.pk}/{name}.json")


def test_a_vehicle_a_rider_holds_is_listed_reserved(db):
    from datetime import timedelta

    from apps.trips.models import Reservation
    from apps.trips.tests.factories import make_rider

    network = make_network()
    held = make_vehicle(network=network, latitude="45.75", longitude="4.85")
    make_vehicle(network=network, latitude="45.76", longitude="4.85")  # free
    Reservation.objects.create(network=network, rider=make_rider(app_label=network.app_label), vehicle=held,
                               expires_at=timezone.now() + timedelta(minutes=5))
    cache.clear()
    vehicles = get(Client(), f"{BASE}/{network.pk}/vehicle_status.json")["data"]["vehicles"]
    assert sorted(v["is_reserved"] for v in vehicles) == [False, True]
    assert not errors(gbfs_validator("vehicle_status"), get(Client(), f"{BASE}/{network.pk}/vehicle_status.json"))


def test_a_docked_vehicle_a_rider_holds_is_not_available_at_its_station(db):
    from datetime import timedelta

    from apps.fleet.tests.factories import make_cluster, make_station
    from apps.trips.models import Reservation
    from apps.trips.tests.factories import make_rider

    network = make_network()
    station = make_station(cluster=make_cluster(network=network), spots=2)
    spots = list(station.spots.order_by("number"))
    make_vehicle(network=network, spot=spots[0])
    held = make_vehicle(network=network, spot=spots[1])
    Reservation.objects.create(network=network, rider=make_rider(app_label=network.app_label), vehicle=held,
                               expires_at=timezone.now() + timedelta(minutes=5))
    cache.clear()
    status = get(Client(), f"{BASE}/{network.pk}/station_status.json")
    assert not errors(gbfs_validator("station_status"), status)
    (row,) = status["data"]["stations"]
    assert (row["num_vehicles_available"], row["num_vehicles_disabled"], row["num_docks_available"]) == (1, 0, 0)
