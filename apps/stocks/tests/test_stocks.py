"""Stocks through the HTTP API: addresses per network, vehicles stored, the auto-stock area."""
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.access.tests.factories import make_unit
from apps.core.testing.responses import code, fields_of
from apps.fleet.tests.factories import make_station, make_vehicle
from apps.geofencing.tests.factories import SQUARE
from apps.networks.tests.factories import make_network
from apps.reference.models import Country
from apps.stocks.models import AutoStockArea, Stock, StockedVehicle
from apps.stocks.services import auto_stock_apply
from apps.trips.tests.factories import make_trip

from .factories import make_stock, store

API = "/api/dashboard/v1/stocks"


@pytest.fixture
def network(db):
    return make_network()


def new_stock(**overrides):
    body = {"name": "Gerland depot", "country": Country.objects.get(alpha_2="FR").pk, "city": "Lyon",
            "zipcode": "69007", "street": "12 rue de Gerland"}
    return {**body, **overrides}


def test_create_and_list_stocks(admin_client, network):
    response = admin_client.post(API, new_stock(network_id=network.pk), content_type="application/json")
    created = response.json()["data"]
    assert (created["name"], created["country"], created["network_id"], created["vehicle_count"]) == (
        "Gerland depot", "FR", network.pk, 0)
    assert created["auto_area"] is None
    other = make_stock(network=network, name="Bron")
    store(make_vehicle(network=network), other)
    make_stock(name="Elsewhere")
    data = admin_client.get(API, {"networks": network.pk}).json()["data"]
    assert [(s["name"], s["vehicle_count"]) for s in data] == [("Bron", 1), ("Gerland depot", 0)]


@pytest.mark.parametrize("field, value", [
    ("name", "abc"), ("name", "x" * 129), ("city", ""), ("city", "x" * 129), ("zipcode", ""), ("zipcode", "1" * 17),
    ("street", ""), ("street", "x" * 129), ("country", 0), ("country", 999999), ("country", "FR"),
    ("network_id", 999999), ("network_id", "1"),
])
def test_create_stock_validation(admin_client, network, field, value):
    body = new_stock(**{"network_id": network.pk, field: value})
    response = admin_client.post(API, body, content_type="application/json")
    assert code(response) == -2 and field in fields_of(response)
    assert not Stock.objects.exists()


def test_create_stock_without_network_uses_the_callers_only_network(client, staff_user, grant_access, network):
    grant_access(staff_user, "stocks.manage", write=True, where=make_unit(networks=[network]))
    client.force_login(staff_user)
    created = client.post(API, new_stock(), content_type="application/json").json()["data"]
    assert created["network_id"] == network.pk


def test_create_stock_without_network_when_several_are_managed(admin_client, network):
    response = admin_client.post(API, new_stock(), content_type="application/json")
    assert code(response) == -2 and "network_id" in fields_of(response)
    assert not Stock.objects.exists()


def test_delete_stock_refused_while_vehicles_are_stored(admin_client, network):
    stock = make_stock(network=network)
    entry = store(make_vehicle(network=network), stock)
    response = admin_client.delete(f"{API}/{stock.pk}")
    assert code(response) == -6 and response.json()["message"]["key"] == "stock.not_empty"
    assert Stock.objects.filter(pk=stock.pk).exists()
    entry.delete()
    assert code(admin_client.delete(f"{API}/{stock.pk}")) == 0
    assert not Stock.objects.exists()


def test_stock_vehicles(admin_client, network, django_assert_max_num_queries):
    first, second, unasked = (make_stock(network=network) for _ in range(3))
    for n in range(5):
        store(make_vehicle(network=network, serial_number=f"A{n}", battery_level=50), first)
    store(make_vehicle(network=network, serial_number="B0"), second, automatic=True)
    store(make_vehicle(network=network, serial_number="C0"), unasked)
    with django_assert_max_num_queries(5):  # stocks, vehicles + the access log
        data = admin_client.get(f"{API}/vehicles", {"stocks": f"{first.pk},{second.pk}"}).json()["data"]
    assert [(v["serial_number"], v["stock_id"]) for v in data] == [
        *[(f"A{n}", first.pk) for n in range(5)], ("B0", second.pk)]
    assert data[-1]["automatic"] is True and data[0]["battery_level"] == 50


def test_stock_vehicles_of_an_unknown_or_foreign_stock(client, staff_user, grant_access, network):
    mine, foreign = make_stock(network=network), make_stock()
    grant_access(staff_user, "stocks.vehicles", where=make_unit(networks=[network]))
    client.force_login(staff_user)
    assert code(client.get(f"{API}/vehicles", {"stocks": mine.pk})) == 0
    for ids in (f"{foreign.pk}", f"{mine.pk},{foreign.pk}", "999999"):
        response = client.get(f"{API}/vehicles", {"stocks": ids})
        assert code(response) == -2 and "stocks" in fields_of(response)
    assert code(client.get(f"{API}/vehicles", {"stocks": "0"})) == -2
    assert code(client.get(f"{API}/vehicles")) == -2


def park(network, latitude, longitude, **fields):
    return make_vehicle(network=network, latitude=Decimal(str(latitude)), longitude=Decimal(str(longitude)), **fields)


def test_auto_stock_area_stocks_the_vehicles_inside(admin_client, network, django_capture_on_commit_callbacks):
    stock = make_stock(network=network)
    inside = park(network, 45.7640, 4.8356, serial_number="IN")
    park(network, 45.7700, 4.8356, serial_number="OUT")
    park(make_network(), 45.7640, 4.8356, serial_number="OTHERNET")
    park(network, 45.7640, 4.8356, serial_number="RETIRED", decommissioned_at=timezone.now())
    park(network, 45.7640, 4.8356, serial_number="DOCKED", spot=make_station(spots=1).spots.get())
    riding = park(network, 45.7640, 4.8356, serial_number="RIDING")
    make_trip(network=network, vehicle=riding, state="running")
    by_hand = park(network, 45.7641, 4.8357, serial_number="BYHAND")
    store(by_hand, make_stock(network=network))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.put(f"{API}/shape", {"stock_id": stock.pk, "shape": SQUARE},
                                    content_type="application/json")
    assert code(response) == 0 and len(callbacks) == 1
    assert list(stock.entries.values_list("vehicle__serial_number", "automatic")) == [("IN", True)]
    assert AutoStockArea.objects.get(stock=stock).shape == SQUARE
    assert auto_stock_apply(stock_id=stock.pk) == (0, 0)  # idempotent

    # The vehicle leaves the new, smaller area: it is released; one placed by hand never is.
    store(park(network, 45.7636, 4.8352, serial_number="HANDMADE"), stock)
    inside.latitude = Decimal("45.7644")
    inside.save()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.put(f"{API}/shape", {"stock_id": stock.pk, "shape": [[45.7635, 4.8351], [45.7635, 4.8361],
                                                                          [45.7640, 4.8361], [45.7640, 4.8351]]},
                         content_type="application/json")
    assert list(stock.entries.values_list("vehicle__serial_number", flat=True)) == ["HANDMADE"]
    assert StockedVehicle.objects.filter(vehicle=by_hand).exists()


def test_stock_shape_validation_changes_nothing(admin_client, network):
    stock = make_stock(network=network)
    for body, field in [({"stock_id": stock.pk, "shape": SQUARE[:2]}, "shape"),
                        ({"stock_id": 1.5, "shape": SQUARE}, "stock_id"),
                        ({"stock_id": 999999, "shape": SQUARE}, "stock_id"),
                        ({"shape": SQUARE}, "stock_id")]:
        response = admin_client.put(f"{API}/shape", body, content_type="application/json")
        assert code(response) == -2 and field in fields_of(response), body
    assert not AutoStockArea.objects.exists()
