"""Where the telemetry shows: a trip's route and distance, the open-data feeds, the vehicle's own position."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.testing.clients import client_for
from apps.pricing.tests.factories import make_rule
from apps.riders.tests.factories import make_payment_method
from apps.trips.models import Trip
from apps.trips.routes import trip_route
from apps.trips.tests.factories import make_rider

from .factories import LYON, fitted_vehicle, make_provider, message, meters_north, report

API = "/api/business-mobile/v1/trips"


@pytest.fixture
def ride(db):
    provider, token = make_provider()
    vehicle = fitted_vehicle(provider, battery_level=80, latitude=Decimal("45.764000"), longitude=Decimal("4.835700"))
    make_rule(network=vehicle.network)
    rider = make_rider(app_label=vehicle.network.app_label)
    make_payment_method(rider, is_default=True)
    return vehicle, token, client_for(rider)


def test_a_trips_distance_is_the_length_of_the_route_its_vehicle_reported(ride):
    vehicle, token, client = ride
    here = {"Latitude": LYON[0], "Longitude": LYON[1]}
    report(token, message(vehicle, seconds_ago=120, position=meters_north(LYON, -500)))  # before the trip
    started = client.post(f"{API}/start", {"VehicleCode": vehicle.serial_number, **here}, format="json")
    assert started.status_code == 200, started.json()
    guid = started.json()["Data"]["Guid"]
    trip = Trip.objects.get(guid=guid)
    Trip.objects.filter(pk=trip.pk).update(started_at=timezone.now() - timedelta(seconds=60))
    path = [LYON, meters_north(LYON, 3), meters_north(LYON, 400), meters_north(LYON, 1000)]
    report(token, *[message(vehicle, seconds_ago=50 - 10 * i, position=p, speed=15) for i, p in enumerate(path)])
    end = {"Latitude": path[-1][0], "Longitude": path[-1][1]}
    ended = client.post(f"{API}/{guid}/end", end, format="json")
    assert ended.status_code == 200, ended.json()
    trip.refresh_from_db()
    assert trip.distance == 1000  # the 3 m step is GPS drift; the fix before the start is not the trip's
    assert [round(p.latitude, 4) for p in trip_route(trip)] == [round(p[0], 4) for p in path]


def test_a_trip_without_messages_keeps_an_unknown_distance(ride):
    vehicle, _token, client = ride
    here = {"Latitude": LYON[0], "Longitude": LYON[1]}
    guid = client.post(f"{API}/start", {"VehicleCode": vehicle.serial_number, **here}, format="json").json()[
        "Data"]["Guid"]
    client.post(f"{API}/{guid}/end", here, format="json")
    assert Trip.objects.get(guid=guid).distance == 0


def test_gbfs_and_the_vehicle_follow_the_reported_state_within_the_ttl(db):
    from django.core.cache import cache
    from django.test import Client

    from apps.opendata.tests.standards import errors, gbfs_validator

    provider, token = make_provider()
    vehicle = fitted_vehicle(provider, battery_level=90, latitude=Decimal("45.750000"), longitude=Decimal("4.850000"))
    url = f"/gbfs/v3/{vehicle.network_id}/vehicle_status.json"
    before = Client().get(url).json()["data"]["vehicles"]
    assert [(v["lat"], v["lon"]) for v in before] == [(45.75, 4.85)]
    sent = message(vehicle, seconds_ago=2, position=(45.7612, 4.8421), battery=41)
    report(token, sent)
    cache.clear()  # the file's ttl passed
    feed = Client().get(url).json()
    [listed] = feed["data"]["vehicles"]
    assert (listed["lat"], listed["lon"], listed["current_fuel_percent"]) == (45.7612, 4.8421, 0.41)
    reported_at = datetime.fromisoformat(listed["last_reported"])
    assert abs(reported_at - datetime.fromisoformat(sent["time"])) < timedelta(seconds=1)  # GBFS keeps seconds
    assert not errors(gbfs_validator("vehicle_status"), feed)


def test_mds_telemetry_carries_the_reported_positions_with_their_trip(db):
    from apps.opendata import mds
    from apps.opendata.tests.standards import errors, mds_validator
    from apps.opendata.tests.test_mds import Agency, hour_of
    from apps.trips.models import TripState
    from apps.trips.tests.factories import make_trip

    provider, token = make_provider()
    vehicle = fitted_vehicle(provider)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    trip = make_trip(network=vehicle.network, vehicle=vehicle, started_at=hour + timedelta(minutes=10),
                     ended_at=hour + timedelta(minutes=20), state=TripState.FINISHED)
    seconds_ago = [(timezone.now() - (hour + timedelta(minutes=m))).total_seconds() for m in (5, 15, 70)]
    before, during, later = (message(vehicle, seconds_ago=s, battery=60) for s in seconds_ago)
    report(token, before, during, later)
    body = Agency([vehicle.network]).get("/mds/v2/telemetry", {"telemetry_time": hour_of(hour)}).json()
    assert not errors(mds_validator("telemetry"), body)
    reported = [t for t in body["telemetry"] if "battery_percent" in t]
    assert [(t["trip_ids"], t["battery_percent"]) for t in reported] == [(None, 60), ([str(trip.guid)], 60)]
    assert {t["device_id"] for t in reported} == {mds.device_id(vehicle.pk)}
    other = Agency([fitted_vehicle(provider).network]).get("/mds/v2/telemetry", {"telemetry_time": hour_of(hour)})
    assert other.json()["telemetry"] == []  # another network's agency sees none of it


def test_the_vehicle_page_shows_its_live_state_messages_and_commands(db):
    from django.test import Client

    from apps.fleet.commands import command_request

    provider, token = make_provider()
    vehicle = fitted_vehicle(provider)
    sent = message(vehicle, seconds_ago=5, battery=37, errors=["E42"])
    report(token, sent)
    command_request(vehicle=vehicle, command="set_max_speed", payload={"max_speed": 18}, source="staff", deliver=False)
    client = Client()
    client.force_login(_superuser())
    page = client.get(f"/admin/fleet/vehicle/{vehicle.pk}/change/").content.decode()
    assert "Live state" in page and "37 %" in page and "E42" in page and sent["id"] in page
    assert "set_max_speed (18 km/h)" in page and "fa-route-config" in page


def test_the_trip_page_draws_the_route(db):
    from django.test import Client

    provider, token = make_provider()
    vehicle = fitted_vehicle(provider)
    from apps.trips.tests.factories import make_trip

    trip = make_trip(network=vehicle.network, vehicle=vehicle, started_at=timezone.now() - timedelta(minutes=5),
                     ended_at=timezone.now())
    report(token, *[message(vehicle, seconds_ago=200 - 50 * i, position=meters_north(LYON, 100 * i)) for i in range(3)])
    client = Client()
    client.force_login(_superuser())
    response = client.get(f"/admin/trips/trip/{trip.pk}/change/")
    config = response.context["route_config"]
    assert [round(p[0], 4) for p in config["points"]] == [round(meters_north(LYON, 100 * i)[0], 4) for i in range(3)]


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(email="boss@example.com", password="x")


def test_the_fleet_map_reads_the_moving_vehicles_again(db):
    from django.test import Client

    provider, token = make_provider()
    vehicle = fitted_vehicle(provider, latitude=Decimal("45.750000"), longitude=Decimal("4.850000"))
    client = Client()
    client.force_login(_superuser())
    page = client.get(f"/admin/map/?network={vehicle.network_id}")
    assert page.context["config"]["live"] == f"/admin/map/live/?network={vehicle.network_id}"
    report(token, message(vehicle, seconds_ago=1, position=(45.7612, 4.8421), battery=55))
    live = client.get(f"/admin/map/live/?network={vehicle.network_id}").json()
    [row] = [v for v in live["vehicles"] if v["serial_number"] == vehicle.serial_number]
    assert (float(row["latitude"]), float(row["longitude"]), row["battery_level"]) == (45.7612, 4.8421, 55)


def test_mds_telemetry_of_a_busy_hour_comes_in_pages(db, monkeypatch):
    from apps.opendata import mds
    from apps.opendata.tests.standards import errors, mds_validator
    from apps.opendata.tests.test_mds import Agency, hour_of

    monkeypatch.setattr(mds, "TELEMETRY_PAGE_SIZE", 2)
    provider, token = make_provider()
    vehicle = fitted_vehicle(provider)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    moments = [hour + timedelta(minutes=5, microseconds=7)] * 2 + [hour + timedelta(minutes=m) for m in (9, 20, 40)]
    report(token, *[message(vehicle, time=moment.isoformat(), battery=50 + n) for n, moment in enumerate(moments)])
    agency = Agency([vehicle.network])
    url, seen, pages = f"/mds/v2/telemetry?telemetry_time={hour_of(hour)}", [], 0
    while url:
        body = agency.get(url).json()
        assert not errors(mds_validator("telemetry"), body)
        seen += [t["battery_percent"] for t in body["telemetry"]]
        url, pages = body["links"]["next"], pages + 1
    assert (sorted(seen), pages) == ([50, 51, 52, 53, 54], 3)  # each position once, two a page, ties on time too
    refused = Agency([vehicle.network]).get(f"/mds/v2/telemetry?telemetry_time={hour_of(hour)}&after=x-1", status=400)
    assert refused.json()["error"] == "bad_param"


def test_a_fitted_vehicles_reported_fields_are_read_only_in_the_admin(db):
    from django.test import Client

    from apps.fleet.tests.factories import make_vehicle

    provider, token = make_provider()
    fitted, bare = fitted_vehicle(provider), make_vehicle()
    client = Client()
    client.force_login(_superuser())
    fitted_form = client.get(f"/admin/fleet/vehicle/{fitted.pk}/change/").context["adminform"].form
    bare_form = client.get(f"/admin/fleet/vehicle/{bare.pk}/change/").context["adminform"].form
    assert not {"battery_level", "latitude", "longitude", "position_at"} & set(fitted_form.fields)
    assert {"battery_level", "latitude", "longitude"} <= set(bare_form.fields)  # no device: staff set them
