"""Vehicles and external locks through the HTTP API."""
from decimal import Decimal

import pytest

from apps.core.testing.responses import code, error_key
from apps.fleet.models import ExternalLock, Vehicle, VehicleDecommission
from apps.networks.tests.factories import make_network
from apps.reference.models import Currency
from apps.trips.models import TripState
from apps.trips.tests.factories import make_trip

from .factories import make_cluster, make_station, make_vehicle

API = "/api/dashboard/v1"


@pytest.fixture
def network(db):
    return make_network(currency=Currency.objects.get(code="JPY"))


def test_list_vehicles_with_dock_and_trip_state(admin_client, network, django_assert_max_num_queries):
    station = make_station(cluster=make_cluster(network=network, name="Gare"), spots=3)
    docked = make_vehicle(network=network, spot=station.spots.first(), battery_level=80)
    riding = make_vehicle(network=network)
    make_trip(network=network, vehicle=riding, state=TripState.RUNNING)
    retired = make_vehicle(network=network)
    Vehicle.objects.filter(pk=retired.pk).update(decommissioned_at="2026-01-01T00:00:00Z")
    for _ in range(20):
        make_vehicle(network=network)
    make_vehicle()  # another network
    with django_assert_max_num_queries(4):
        rows = admin_client.get(f"{API}/vehicles", {"networks": network.pk}).json()["data"]
    by_id = {r["id"]: r for r in rows}
    assert len(rows) == 22 and retired.pk not in by_id
    assert by_id[docked.pk]["docked_at"] == {"cluster": {"id": station.cluster_id, "name": "Gare"},
                                             "station": {"id": station.pk, "name": station.name}, "spot_number": 1}
    assert (by_id[riding.pk]["in_trip"], by_id[docked.pk]["in_trip"]) == (True, False)


def test_decommission_records_reason_and_amount_in_network_currency(admin_client, network):
    vehicle = make_vehicle(network=network, spot=make_station(spots=1).spots.first())
    running = make_trip(network=network, vehicle=vehicle, state=TripState.RUNNING)
    url = f"{API}/vehicles/{vehicle.pk}"
    assert error_key(admin_client.delete(f"{url}?reason=sold&amount=120.6")) == "vehicle.trip_running"
    running.state = TripState.FINISHED
    running.save()
    assert code(admin_client.delete(f"{url}?reason=sold&amount=120.6&comment=To+a+collector")) == 0
    vehicle.refresh_from_db()
    record = VehicleDecommission.objects.get()
    assert (record.reason, record.amount, record.currency_id, record.comment) == ("sold", Decimal("121"), "JPY",
                                                                                 "To a collector")
    assert vehicle.spot is None and vehicle.decommissioned_at is not None
    assert error_key(admin_client.delete(f"{url}?reason=sold")) == "vehicle.already_decommissioned"
    listed = admin_client.get(f"{API}/vehicles/decommissioned", {"networks": network.pk}).json()["data"]
    assert [(v["id"], v["decommission"]["reason"], v["decommission"]["amount"]) for v in listed] == [
        (vehicle.pk, "sold", 121)]


def test_change_network(admin_client, network):
    other = make_network()
    vehicle = make_vehicle(network=network, spot=make_station(spots=1).spots.first())
    url = f"{API}/vehicles/{vehicle.pk}/network"
    assert error_key(admin_client.put(url, {"network_id": network.pk}, format="json")) == "vehicle.same_network"
    trip = make_trip(network=network, vehicle=vehicle, state=TripState.ON_HOLD)
    assert error_key(admin_client.put(url, {"network_id": other.pk}, format="json")) == "vehicle.trip_running"
    trip.state = TripState.FINISHED
    trip.save()
    assert code(admin_client.put(url, {"network_id": other.pk}, format="json")) == 0
    vehicle.refresh_from_db()
    assert (vehicle.network_id, vehicle.spot) == (other.pk, None)
    unknown = admin_client.put(url, {"network_id": 987654}, format="json")
    assert code(unknown) == -2 and "network_id" in unknown.json()["message"]["fields"]


def test_used_serials_answer_only_the_taken_ones(admin_client, network):
    make_vehicle(network=network, serial_number="SXB123")
    make_vehicle(serial_number="SXB345")  # another network: still taken
    data = admin_client.get(f"{API}/vehicles/used-serials", {"serials": "SXB123,FREE01,SXB345,SXB123"}).json()["data"]
    assert data == ["SXB123", "SXB345"]


def test_external_lock_lifecycle(admin_client, network):
    vehicle = make_vehicle(network=network)
    body = {"vehicle_id": vehicle.pk, "model": "Abus 540", "type": "u", "serial_number": "AB-1", "code": "1234"}
    created = admin_client.post(f"{API}/external-locks", body, format="json").json()["data"]
    assert (created["serial_number"], created["code"], created["vehicle_id"]) == ("AB-1", "1234", vehicle.pk)
    assert error_key(admin_client.post(f"{API}/external-locks", {**body, "serial_number": "AB-2"}, format="json")) == (
        "vehicle.has_external_lock")
    assert error_key(admin_client.post(f"{API}/external-locks", {**body, "vehicle_id": make_vehicle(network=network).pk},
                                 format="json")) == "external_lock.serial_taken"

    assert code(admin_client.put(f"{API}/vehicles/{vehicle.pk}/external-lock/code", {"code": "9876"},
                                 format="json")) == 0
    detail = admin_client.get(f"{API}/vehicles/{vehicle.pk}").json()["data"]
    assert detail["external_lock"]["code"] == "9876"
    assert code(admin_client.delete(f"{API}/vehicles/{vehicle.pk}/external-lock")) == 0
    assert admin_client.get(f"{API}/vehicles/{vehicle.pk}").json()["data"]["external_lock"] is None
    assert code(admin_client.delete(f"{API}/vehicles/{vehicle.pk}/external-lock")) == -5
    assert ExternalLock.objects.get().decommissioned_at is not None


def test_lists_at_2000_vehicles_cost_fixed_queries(admin_client, network, django_assert_max_num_queries):
    """Issue 5: listClusters and listVehicles for a network with 2,000 vehicles in a fixed number of queries."""
    from apps.fleet.models import Spot, VehicleModel

    clusters = [make_cluster(network=network, name=f"C{n:03d}") for n in range(40)]
    for cluster in clusters:
        make_station(cluster=cluster, spots=25)
    spots = list(Spot.objects.filter(station__cluster__network=network))
    models = [VehicleModel.objects.get_or_create(name=name)[0] for name in ("E-Bike V3", "Cargo C1")]
    Vehicle.objects.bulk_create(
        Vehicle(network=network, serial_number=f"Q{n:07d}", model=models[n % 2], spot=spots[n] if n < 700 else None,
                battery_level=n % 100)
        for n in range(2000))
    # The access log adds 3 (savepoint, insert, release) to each request.
    with django_assert_max_num_queries(1 + 3):
        clusters_body = admin_client.get(f"{API}/clusters", {"networks": network.pk}).json()
    with django_assert_max_num_queries(1 + 3):
        vehicles_body = admin_client.get(f"{API}/vehicles", {"networks": network.pk}).json()
    assert len(clusters_body["data"]) == 40 and sum(c["docked_vehicle_count"] for c in clusters_body["data"]) == 700
    assert len(vehicles_body["data"]) == 2000


def test_list_vehicles_rows_are_vehicle_out_exactly(superuser):
    """listVehicles builds its rows without VehicleOut (apps.fleet.api.views.vehicle_out_rows): same JSON."""
    import json

    from django.utils import timezone as django_timezone

    from apps.core.api.renderers import EnvelopeJSONRenderer
    from apps.core.testing.clients import client_for
    from apps.fleet.api.serializers import VehicleOut
    from apps.fleet.selectors import vehicle_list
    from apps.fleet.tests.factories import make_cluster, make_station, make_vehicle
    from apps.fleet.models import Vehicle
    from apps.networks.tests.factories import make_network
    from apps.trips.models import TripState
    from apps.trips.tests.factories import make_trip

    network = make_network()
    station = make_station(cluster=make_cluster(network=network), spots=2)
    docked = make_vehicle(network=network, spot=station.spots.first(), battery_level=80)
    floating = make_vehicle(network=network, latitude="45.123456", longitude="4.654321",
                            position_at=django_timezone.now())
    make_trip(network=network, vehicle=floating, state=TripState.RUNNING, ended_at=None)
    data = client_for(superuser).get("/api/dashboard/v1/vehicles", {"networks": network.pk}).json()["data"]
    vehicles = vehicle_list(vehicles=Vehicle.objects.filter(network=network)).order_by("serial_number")
    expected = json.loads(EnvelopeJSONRenderer().render(VehicleOut(vehicles, many=True).data))
    assert data == expected and {v["id"] for v in data} == {docked.pk, floating.pk}
    assert [v["in_trip"] for v in data if v["id"] == floating.pk] == [True]
