from decimal import Decimal

import pytest

from apps.networks.models import Network, ThirdParty
from apps.networks.erp import LocalFileErpClient
from apps.reference.models import Country

from .factories import make_network, make_third_party

BASE = "/api/dashboard/v1"


def test_create_network_returns_its_id_and_stores_exact_decimals(admin_client):
    from apps.applabels.tests.factories import make_app_label

    body = {"name": "Lyon", "default_vat": 0.2, "country_id": Country.objects.get(alpha_2="FR").pk, "currency": "JPY",
            "default_vehicle_guarantee": 1500.4, "trip_to_skip_pre_auth_guarantee": 3, "timezone": "Asia/Tokyo",
            "app_label_id": make_app_label().pk}
    response = admin_client.post(f"{BASE}/networks", body, format="json")
    network = Network.objects.get()
    assert response.json() == {"code": 0, "data": network.pk}
    assert network.default_vat == Decimal("0.2")
    assert network.default_vehicle_guarantee == Decimal("1500")  # JPY has no minor unit


def test_create_network_names_unknown_references(admin_client):
    body = {"name": "Lyon", "default_vat": 0.2, "country_id": 999999, "currency": "EUR",
            "default_vehicle_guarantee": 150, "trip_to_skip_pre_auth_guarantee": -1, "timezone": "Europe/Paris",
            "app_label_id": 999999, "third_party_id": 999999}
    response = admin_client.post(f"{BASE}/networks", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["message"]["fields"]) == {"country_id", "app_label_id", "third_party_id"}
    assert not Network.objects.exists()


def test_network_detail_carries_the_core_fields(admin_client):
    owner = make_third_party(name="Métropole")
    network = make_network(third_party=owner)
    data = admin_client.get(f"{BASE}/networks/{network.pk}").json()["data"]
    for name in ("id", "name", "currency", "timezone", "country_id", "app_label_id", "third_party_id", "created_at",
                 "closed_at"):
        assert name in data
    assert data["owner"] == {"id": owner.pk, "name": "Métropole"}
    assert data["currency"] == "EUR" and data["default_vat"] == 0.2


def test_closing_is_definitive_and_hides_the_network_from_the_selector(admin_client):
    network, other = make_network(name="A"), make_network(name="B")
    assert admin_client.delete(f"{BASE}/networks/{network.pk}").json() == {"code": 0}
    again = admin_client.delete(f"{BASE}/networks/{network.pk}")
    assert again.status_code == 409
    assert again.json()["message"]["key"] == "network.already_closed"
    short = admin_client.get(f"{BASE}/networks/short").json()["data"]
    assert [n["id"] for n in short] == [other.pk]
    assert {n["id"] for n in admin_client.get(f"{BASE}/networks").json()["data"]} == {network.pk, other.pk}


def test_list_networks_query_count_is_fixed(admin_client, django_assert_max_num_queries):
    for _ in range(30):
        make_network(third_party=make_third_party())
    # the networks (with their stations and vehicles counted), the trips' stored day counts, the trips they do not
    # cover, grouped by network (apps.trips.rollups.trip_totals_by_network), the access log: whatever the count
    with django_assert_max_num_queries(6):
        assert len(admin_client.get(f"{BASE}/networks").json()["data"]) == 30


def test_the_trips_indicator_adds_the_stored_days_and_the_rest(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.trips import rollups
    from apps.trips.models import TripDay
    from apps.trips.tests.factories import make_trip

    network, other = make_network(), make_network()
    for days_ago in (30, 20, 0):
        make_trip(network=network, started_at=timezone.now() - timedelta(days=days_ago, hours=1))
    make_trip(network=other)
    rollups.fill(network)
    TripDay.objects.filter(network=network, all_trip_count=1).update(all_trip_count=10)  # what is read
    with CaptureQueriesContext(connection) as ran:
        rows = {row["id"]: row["indicators"]["trips"] for row in admin_client.get(f"{BASE}/networks").json()["data"]}
    assert rows == {network.pk: 10 + 10 + 1, other.pk: 1}
    # The trips outside the stored days are counted with each network and bound written in the statement, so that
    # PostgreSQL estimates from them: as columns of unnest(), the recent stretch was guessed at a third of the table,
    # planned as a sequential scan of every trip (1.0-1.3 s at 3M+ trips instead of ~1 ms) and compiled with JIT.
    # One statement per network, all in one round trip: a UNION ALL of hundreds took longer to plan than to count.
    outside = [query["sql"] for query in ran.captured_queries if "u.started_at" in query["sql"]]
    assert len(outside) == 1 and outside[0].count("; ") == 1 and "UNION ALL" not in outside[0]
    assert "unnest" not in outside[0]
    assert f"t.network_id = {network.pk}" in outside[0] and f"t.network_id = {other.pk}" in outside[0]
    assert "t.started_at >= NULL::timestamptz" in outside[0]  # `other` has no stored day: no recent stretch
    assert admin_client.get(f"{BASE}/networks/{network.pk}").json()["data"]["indicators"]["trips"] == 21


def test_erp_import_once_and_listing_hides_imported(admin_client):
    erp_ids = {row["erp_id"] for row in admin_client.get(f"{BASE}/third-parties/erp").json()["data"]}
    assert 1001 in erp_ids
    data = admin_client.post(f"{BASE}/third-parties/erp/import", {"erp_id": 1001}, format="json").json()["data"]
    assert data["erp_id"] == 1001 and data["country_code"] == "FR"
    again = admin_client.post(f"{BASE}/third-parties/erp/import", {"erp_id": 1001}, format="json")
    assert again.status_code == 409 and again.json()["message"]["key"] == "third_party.already_imported"
    assert ThirdParty.objects.filter(erp_id=1001).count() == 1
    remaining = {row["erp_id"] for row in admin_client.get(f"{BASE}/third-parties/erp").json()["data"]}
    assert remaining == erp_ids - {1001}
    assert admin_client.post(f"{BASE}/third-parties/erp/import", {"erp_id": 4242}, format="json").json()["code"] == -5


def test_erp_reads_csv_exports_too(tmp_path, settings, admin_client):
    export = tmp_path / "erp.csv"
    export.write_text("erp_id,name,address,zipcode,city,country\n77,Rad AG,Hauptstr. 1,8001,Zürich,ch\n")
    settings.ERP_LOCAL_FILE = str(export)
    rows = admin_client.get(f"{BASE}/third-parties/erp").json()["data"]
    assert rows == [{"erp_id": 77, "name": "Rad AG", "address": "Hauptstr. 1", "zipcode": "8001", "city": "Zürich",
                     "country": "CH"}]
    assert LocalFileErpClient(export).list_third_parties()[0].country == "CH"


def test_unreadable_erp_is_a_clean_503(settings, admin_client):
    settings.ERP_LOCAL_FILE = "/nonexistent/erp.json"
    response = admin_client.get(f"{BASE}/third-parties/erp")
    assert response.status_code == 503 and response.json()["message"]["key"] == "erp.unavailable"


@pytest.mark.parametrize("path", ["/networks/short", "/networks/12"])
def test_literal_routes_win_over_parameters(admin_client, path):
    response = admin_client.get(BASE + path)
    assert response.status_code in (200, 404)
    if path.endswith("short"):
        assert response.status_code == 200
