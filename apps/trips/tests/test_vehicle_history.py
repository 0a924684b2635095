"""A vehicle's statistics and timeline: its trips, the parkings between them, its maintenances."""
from datetime import datetime, timedelta, timezone as tz
from decimal import Decimal

import pytest

from apps.access.tests.factories import make_unit
from apps.fleet.services import vehicle_change_network
from apps.fleet.tests.factories import make_alert, make_cluster, make_maintenance, make_vehicle
from apps.networks.tests.factories import make_network
from apps.reference.models import Currency

from .factories import make_trip

API = "/api/dashboard/v1/vehicles"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=tz.utc)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def iso(moment):
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def vehicle(db):
    return make_vehicle()


def repair(vehicle, *, key="flat-tyre", started_at, ended_at=None):
    maintenance = make_maintenance(target=vehicle, key=key)
    maintenance.started_at, maintenance.ended_at = started_at, ended_at
    maintenance.save()
    return maintenance


def ride(vehicle, start, minutes, **fields):
    fields.setdefault("ended_at", at(start + minutes) if fields.get("state", "finished") == "finished" else None)
    return make_trip(network=vehicle.network, vehicle=vehicle, started_at=at(start), duration=minutes * 60, **fields)


def test_statistics(admin_client, vehicle, django_assert_max_num_queries):
    ride(vehicle, 0, 10, distance=2000, amount=Decimal("2.5"))
    ride(vehicle, 60, 20, distance=5000, amount=Decimal("4.0"))
    ride(vehicle, 120, 0, state="cancelled", distance=0, amount=Decimal("0"))
    ride(vehicle, 180, 5, state="running")
    make_trip()  # another vehicle
    old = repair(vehicle, key="flat-tyre", started_at=at(-600), ended_at=at(-500))
    latest = repair(vehicle, key="brake-check", started_at=at(30))
    make_alert(vehicle=vehicle)
    make_alert(vehicle=vehicle, resolved=True)

    with django_assert_max_num_queries(9):
        data = admin_client.get(f"{API}/{vehicle.pk}/statistics").json()["data"]
    assert (data["trip_count"], data["total_distance"], data["total_duration"]) == (2, 7000, 1800)
    assert data["revenue"] == [{"currency": vehicle.network.currency_id, "amount": 6.5}]
    assert (data["first_trip_date"], data["last_trip_date"]) == (iso(at(0)), iso(at(60)))
    assert (data["maintenance_count"], data["open_maintenance_count"], data["open_alert_count"]) == (2, 1, 1)
    assert data["last_maintenance"] == {"id": latest.pk, "type": "brake-check", "started_at": iso(at(30)),
                                        "ended_at": None}
    assert old.pk != latest.pk


def test_statistics_of_an_unused_vehicle(admin_client, vehicle):
    data = admin_client.get(f"{API}/{vehicle.pk}/statistics").json()["data"]
    assert (data["trip_count"], data["total_distance"], data["revenue"], data["last_maintenance"]) == (0, 0, [], None)
    assert data["first_trip_date"] is None


def test_revenue_per_currency_and_only_from_networks_in_scope(client, staff_user, grant_access, vehicle):
    ride(vehicle, 0, 10, amount=Decimal("3"))
    first_network = vehicle.network
    swiss = make_network(currency=Currency.objects.get(code="CHF"))
    vehicle = vehicle_change_network(vehicle=vehicle, network=swiss)
    ride(vehicle, 60, 10, amount=Decimal("5"))
    grant_access(staff_user, "vehicles.manage", where=make_unit(networks=[swiss]))
    client.force_login(staff_user)
    data = client.get(f"{API}/{vehicle.pk}/statistics").json()["data"]
    assert data["trip_count"] == 1 and data["revenue"] == [{"currency": "CHF", "amount": 5.0}]
    timeline = client.get(f"{API}/{vehicle.pk}/timeline").json()["data"]
    assert {e["trip_id"] for e in timeline if e["trip_id"]} == {vehicle.trips.get(network=swiss).pk}

    grant_access(staff_user, "vehicles.manage", where=make_unit(networks=[first_network]))
    client.force_login(staff_user)
    data = client.get(f"{API}/{vehicle.pk}/statistics").json()["data"]
    assert sorted((r["currency"], r["amount"]) for r in data["revenue"]) == sorted(
        [(first_network.currency_id, 3.0), ("CHF", 5.0)])


def test_timeline_orders_trips_parkings_and_maintenances(admin_client, vehicle, django_assert_max_num_queries):
    gare, parc = make_cluster(network=vehicle.network, name="Gare"), make_cluster(network=vehicle.network, name="Parc")
    first = ride(vehicle, 0, 10, start_cluster=gare, end_cluster=parc)
    maintenance = repair(vehicle, started_at=at(30), ended_at=at(45))
    second = ride(vehicle, 60, 20, start_cluster=parc, end_cluster=gare)
    make_trip(network=vehicle.network, started_at=at(5))  # another vehicle's trip

    with django_assert_max_num_queries(8):
        events = admin_client.get(f"{API}/{vehicle.pk}/timeline").json()["data"]
    assert [(e["type"], e["date"]) for e in events] == [
        ("parking", iso(at(80))), ("trip", iso(at(60))), ("maintenance-end", iso(at(45))),
        ("maintenance-start", iso(at(30))), ("parking", iso(at(10))), ("trip", iso(at(0)))]
    still_parked, _, _, _, parked_between, first_ride = events
    assert still_parked["end_date"] is None and still_parked["cluster"] == {"id": gare.pk, "name": "Gare"}
    assert parked_between["end_date"] == iso(at(60)) and parked_between["trip_id"] == first.pk
    assert first_ride["cluster"]["name"] == "Gare" and first_ride["end_date"] == iso(at(10))
    assert first_ride["user_id"] == first.rider_id
    assert events[2]["maintenance"]["id"] == maintenance.pk and events[1]["trip_id"] == second.pk


def test_timeline_pages_back_by_date(admin_client, vehicle):
    for n in range(40):
        ride(vehicle, n * 60, 10)  # 40 trips + 40 parkings
    first_page = admin_client.get(f"{API}/{vehicle.pk}/timeline").json()["data"]
    assert len(first_page) == 50
    second_page = admin_client.get(f"{API}/{vehicle.pk}/timeline", {"before_date": first_page[-1]["date"]}).json()["data"]
    assert len(second_page) == 30
    dates = [e["date"] for e in first_page + second_page]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == 80
    # A parking that spans the page boundary still knows when it ended.
    boundary = admin_client.get(f"{API}/{vehicle.pk}/timeline", {"before_date": iso(at(61))}).json()["data"]
    assert boundary[0]["type"] == "trip" and boundary[1] == {**boundary[1], "type": "parking", "end_date": iso(at(60))}


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00Z", "1700000000"])
def test_timeline_before_date_must_be_a_date_time(admin_client, vehicle, value):
    response = admin_client.get(f"{API}/{vehicle.pk}/timeline", {"before_date": value})
    assert response.json()["code"] == -2 and "before_date" in response.json()["message"]["fields"]
