"""Fleet alerts and maintenances through the HTTP API."""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.access.tests.factories import make_grant, make_unit
from apps.content.models import Language, Localization
from apps.core.exceptions import BusinessRuleViolation
from apps.fleet.models import FleetAlert, Maintenance, MaintenanceType
from apps.fleet.services import maintenance_open
from apps.networks.tests.factories import make_network
from apps.trips.tests.factories import make_rider

from .factories import make_alert, make_cluster, make_maintenance, make_station, make_vehicle

API = "/api/dashboard/v1"


@pytest.fixture
def network(db):
    return make_network()


def ids(response):
    body = response.json()
    assert body["code"] == 0, body
    return [row["id"] for row in body["data"]]


def test_current_alerts_most_severe_first(admin_client, network):
    low = make_alert(network=network, severity="low")
    critical = make_alert(network=network, severity="critical")
    high = make_alert(network=network, severity="high")
    make_alert(network=network, severity="critical", resolved=True)
    make_alert(severity="critical")  # another network
    assert ids(admin_client.get(f"{API}/fleet-alerts", {"networks": network.pk})) == [critical.pk, high.pk, low.pk]


def test_alert_history_filters_and_sorts(admin_client, network):
    rider = make_rider(email="late.rider@example.com")
    vehicle = make_vehicle(network=network, serial_number="SXB777")
    a = make_alert(network=network, vehicle=vehicle, severity="low", resolved=True, user=rider)
    b = make_alert(network=network, severity="critical", resolved=True, alert_type="station-power-cut")
    c = make_alert(network=network, severity="high", resolved=True)
    make_alert(network=network, severity="high")  # current: not history
    get = lambda **q: ids(admin_client.get(f"{API}/fleet-alerts/history", {"networks": network.pk, **q}))  # noqa: E731
    assert get() == [c.pk, b.pk, a.pk]
    assert get(sort_by="alert_severity", sort_dir="DESC") == [b.pk, c.pk, a.pk]
    assert get(sort_by="alert_severity", sort_dir="ASC") == [a.pk, c.pk, b.pk]
    assert get(alert_type="station-power-cut") == [b.pk]
    assert get(email="late.rider") == [a.pk]
    assert get(serial_number="sxb777") == [a.pk]
    today = timezone.now().date()
    assert get(creation_date_min=today.isoformat(), resolved_at_max=today.isoformat()) == [c.pk, b.pk, a.pk]
    assert get(creation_date_min=(today + timedelta(days=1)).isoformat()) == []
    page = admin_client.get(f"{API}/fleet-alerts/history", {"networks": network.pk, "page_size": 10,
                                                            "sort_by": "alert_severity", "last_primary_key": c.pk})
    assert ids(page) == [a.pk] and page.json()["total"] == 3
    wrong = admin_client.get(f"{API}/fleet-alerts/history", {"networks": network.pk, "creation_date_min": "2026-05-02",
                                                             "creation_date_max": "2026-05-01"})
    assert wrong.json()["code"] == -2 and "creation_date_max" in wrong.json()["message"]["fields"]


def test_resolving_is_idempotent_and_all_or_nothing(admin_client, network, superuser):
    first, second = make_alert(network=network), make_alert(network=network)
    assert admin_client.post(f"{API}/fleet-alerts/resolve", {"alert_ids": [first.pk]}, format="json").json()["code"] == 0
    first.refresh_from_db()
    resolved_at = first.resolved_at
    assert resolved_at is not None and first.resolved_by == superuser
    response = admin_client.post(f"{API}/fleet-alerts/resolve", {"alert_ids": [second.pk, 987654]}, format="json")
    assert response.json()["code"] == -2 and "987654" in str(response.json()["message"]["fields"]["alert_ids"])
    assert FleetAlert.objects.get(pk=second.pk).resolved_at is None
    again = admin_client.post(f"{API}/fleet-alerts/resolve", {"alert_ids": [first.pk, second.pk]}, format="json")
    assert again.json()["code"] == 0
    first.refresh_from_db()
    assert first.resolved_at == resolved_at and FleetAlert.objects.get(pk=second.pk).resolved_at is not None


def test_resolving_an_alert_of_another_network_changes_nothing(network):
    mine, theirs = make_alert(network=network), make_alert()
    agent = make_rider()
    make_grant(agent, "vehicles.alerts", unit=make_unit(networks=[network]), write=True)
    client = APIClient()
    client.force_authenticate(agent)
    response = client.post(f"{API}/fleet-alerts/resolve", {"alert_ids": [mine.pk, theirs.pk]}, format="json")
    assert response.json()["code"] == -2
    assert not FleetAlert.objects.filter(resolved_at__isnull=False).exists()


def test_current_maintenances_of_the_active_fleet_with_localized_types(admin_client, network):
    vehicle = make_vehicle(network=network)
    open_one = make_maintenance(target=vehicle, key="flat-tyre")
    closed = make_maintenance(target=vehicle, key="flat-tyre")
    Maintenance.objects.filter(pk=closed.pk).update(ended_at=timezone.now())
    retired_vehicle = make_vehicle(network=network, decommissioned_at=timezone.now())
    make_maintenance(target=retired_vehicle, key="flat-tyre")
    station = make_station(cluster=make_cluster(network=network), spots=1)
    on_spot = make_maintenance(target=station.spots.get(), key="spot-sensor")
    french = Language.objects.create(iso_639_1="fr", name="Français")
    Localization.objects.create(key="maintenance_type.flat-tyre", language=french, value="Pneu crevé")

    rows = admin_client.get(f"{API}/maintenances", {"networks": network.pk, "lang": "fr"}).json()["data"]
    assert {r["id"] for r in rows} == {open_one.pk, on_spot.pk}
    labels = {r["type"]["key"]: r["type"]["label"] for r in rows}
    assert labels == {"flat-tyre": "Pneu crevé", "spot-sensor": "Spot sensor"}
    spot_row = next(r for r in rows if r["id"] == on_spot.pk)
    assert spot_row["cluster"]["id"] == station.cluster_id and spot_row["vehicle"] is None

    history = admin_client.get(f"{API}/vehicles/{vehicle.pk}/maintenances", {"lang": "en"}).json()["data"]
    assert {r["id"] for r in history} == {open_one.pk, closed.pk}
    assert ids(admin_client.get(f"{API}/clusters/{station.cluster_id}/maintenances")) == [on_spot.pk]


def test_maintenance_types_are_retired_not_deleted(admin_client, network):
    body = {"key": "brake-pads", "target_type": "vehicle", "severity": "high"}
    assert admin_client.post(f"{API}/maintenance-types", body, format="json").json()["code"] == 0
    assert admin_client.post(f"{API}/maintenance-types", body, format="json").json()["message"]["key"] == (
        "maintenance_type.key_taken")
    vehicle = make_vehicle(network=network)
    kept = maintenance_open(maintenance_type=MaintenanceType.objects.get(), target=vehicle)
    assert admin_client.delete(f"{API}/maintenance-types?key=brake-pads").json()["code"] == 0
    assert admin_client.delete(f"{API}/maintenance-types?key=brake-pads").json()["code"] == -5
    with pytest.raises(BusinessRuleViolation) as refused:
        maintenance_open(maintenance_type=MaintenanceType.objects.get(), target=vehicle)
    assert refused.value.key == "maintenance_type.deleted"
    assert Maintenance.objects.get() == kept  # existing maintenances keep their type


def test_changing_network_moves_what_is_open(admin_client, network):
    vehicle = make_vehicle(network=network)
    open_maintenance, closed_maintenance = make_maintenance(target=vehicle), make_maintenance(target=vehicle)
    Maintenance.objects.filter(pk=closed_maintenance.pk).update(ended_at=timezone.now())
    open_alert, old_alert = make_alert(vehicle=vehicle), make_alert(vehicle=vehicle, resolved=True)
    other = make_network()
    response = admin_client.put(f"{API}/vehicles/{vehicle.pk}/network", {"network_id": other.pk}, format="json")
    assert response.json()["code"] == 0
    networks = lambda model, pk: model.objects.get(pk=pk).network_id  # noqa: E731
    assert (networks(Maintenance, open_maintenance.pk), networks(Maintenance, closed_maintenance.pk)) == (
        other.pk, network.pk)
    assert (networks(FleetAlert, open_alert.pk), networks(FleetAlert, old_alert.pk)) == (other.pk, network.pk)
