"""The holes an outside tester found in the finer scope (issue 19), each closed at the mechanism.

- A grant limited to one cluster of a network: writes of other clusters' balancing are refused, reads of
  cluster-level rows (clusters, stations, balancing, station figures, alerts and maintenances of stations) show
  only its clusters, and counts of such rows are counted over its clusters only.
- Organizational units: one rule for seeing and granting, so a cluster-limited user neither sees nor edits a unit
  that covers the whole network.
- A vehicle moved between networks: the history it has in the old network stays there.

The generated access matrix (apps.core.testing.contract) checks the same rules for every operation; these tests
name each hole as it was reported.
"""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.access.tests.factories import make_grant, make_unit
from apps.balancing.models import BalancingDiscount, ClusterBalancing
from apps.core.testing.clients import client_for
from apps.core.testing.contract import database_state
from apps.core.testing.responses import code, fields_of
from apps.fleet.models import Maintenance
from apps.fleet.tests.factories import make_alert, make_cluster, make_maintenance, make_station, make_vehicle
from apps.networks.tests.factories import make_network
from apps.trips.tests.factories import make_rider, make_trip

API = "/api/dashboard/v1"


@pytest.fixture
def lyon(db):
    """A network with two clusters: the staff member's (Bellecour) and another (Part-Dieu)."""
    network = make_network(name="Lyon")
    mine, theirs = make_cluster(network=network, name="Bellecour"), make_cluster(network=network, name="Part-Dieu")
    for cluster in (mine, theirs):
        make_station(cluster=cluster, name=f"{cluster.name} station", spots=2)
    return network, mine, theirs


@pytest.fixture
def limited(staff_user, lyon):
    """grant(key): the staff member holds `key` with write on Lyon, limited to Bellecour."""
    network, mine, _ = lyon
    unit = make_unit(name="Bellecour team", networks=[network], clusters=[mine])

    def grant(*keys):
        for key in keys:
            make_grant(staff_user, key, write=True, unit=unit)
        return client_for(staff_user)

    return grant


def _balance(cluster, kind):
    return ClusterBalancing.objects.create(cluster=cluster, network=cluster.network, balancing_type=kind,
                                           target_count=4)


# --- cluster-limited writes -------------------------------------------------------------------------------
def test_a_cluster_limited_grant_writes_the_balancing_of_its_clusters_only(lyon, limited):
    network, mine, theirs = lyon
    client = limited("networks.manage")
    url = f"{API}/networks/{network.pk}/balancing"
    before = database_state()
    created = client.post(url, {"cluster_id": theirs.pk, "target_count": 3, "balancing_type": "donor"}, format="json")
    assert code(created) == -2 and "cluster_id" in fields_of(created)
    assert database_state() == before

    _balance(theirs, "receiver")
    before = database_state()
    assert code(client.put(url, {"cluster_id": theirs.pk, "target_count": 9}, format="json")) == -5
    assert code(client.delete(f"{url}?cluster_id={theirs.pk}")) == -5
    assert database_state() == before

    assert code(client.post(url, {"cluster_id": mine.pk, "target_count": 3, "balancing_type": "donor"},
                            format="json")) == 0
    route = {"donor_cluster_id": mine.pk, "receiver_cluster_id": theirs.pk, "discount_amount": 0.5}
    refused = client.put(f"{url}/discounts", route, format="json")
    assert code(refused) == -2 and "receiver_cluster_id" in fields_of(refused)
    assert not BalancingDiscount.objects.exists()
    assert ClusterBalancing.objects.get(cluster=theirs).target_count == 4


def test_a_cluster_limited_grant_reads_only_its_balancing_and_routes(lyon, limited, admin_client):
    network, mine, theirs = lyon
    third = make_cluster(network=network, name="Perrache")
    donor, receiver, other = _balance(mine, "donor"), _balance(theirs, "receiver"), _balance(third, "receiver")
    BalancingDiscount.objects.create(network=network, donor=donor, receiver=receiver, discount_amount=1)
    BalancingDiscount.objects.create(network=network, donor=donor, receiver=other, discount_amount=2)
    client = limited("networks.manage")
    url = f"{API}/networks/{network.pk}/balancing"
    assert [b["cluster"]["name"] for b in client.get(url).json()["data"]] == ["Bellecour"]
    # A route names two clusters: it is shown only to those holding both.
    assert client.get(f"{url}/discounts").json()["data"] == []
    assert len(admin_client.get(f"{url}/discounts").json()["data"]) == 2
    estimate = client.get(f"{url}/estimate", {"donor_cluster_id": mine.pk, "receiver_cluster_id": theirs.pk,
                                              "fastest_trip_percentage": 10})
    assert code(estimate) == -2 and "receiver_cluster_id" in fields_of(estimate)


# --- cluster-limited reads ----------------------------------------------------------------------------------
def test_the_overview_of_a_cluster_limited_grant_counts_and_maps_its_clusters_only(lyon, limited, admin_client):
    network, mine, theirs = lyon
    client = limited("dashboard.access")
    query = {"networks": str(network.pk)}
    clusters = client.get(f"{API}/overview/map", query).json()["data"]["clusters"]
    assert [c["name"] for c in clusters] == ["Bellecour"]
    assert len(admin_client.get(f"{API}/overview/map", query).json()["data"]["clusters"]) == 2
    stations = client.get(f"{API}/overview/stations", query).json()["data"]
    assert (stations["cluster_count"], stations["station_count"], stations["spot_count"]) == (1, 1, 2)
    everything = admin_client.get(f"{API}/overview/stations", query).json()["data"]
    assert (everything["cluster_count"], everything["station_count"], everything["spot_count"]) == (2, 2, 4)


def test_station_figures_of_a_cluster_limited_grant_list_its_clusters_only(lyon, limited):
    network, mine, theirs = lyon
    started = timezone.now() - timedelta(days=1)
    make_trip(network=network, start_cluster=theirs, end_cluster=mine, started_at=started)
    client = limited("trips")
    day = started.date().isoformat()
    rows = client.get(f"{API}/usage-stats/stations", {"networks": str(network.pk), "start_date": day,
                                                      "end_date": day, "timezone": "UTC"}).json()["data"]
    assert [(r["cluster"]["name"], r["started"], r["ended"]) for r in rows] == [("Bellecour", 0, 1)]


def test_alerts_and_maintenances_of_other_clusters_are_not_shown(lyon, limited):
    network, mine, theirs = lyon
    vehicle = make_vehicle(network=network)
    vehicle_alert = make_alert(vehicle=vehicle, message="Fallen")
    make_alert(network=network, cluster=theirs, alert_type="station-power-cut", message="Part-Dieu offline")
    own_alert = make_alert(network=network, cluster=mine, alert_type="station-power-cut", message="Bellecour offline")
    theirs_station, mine_station = theirs.stations.get(), mine.stations.get()
    make_maintenance(target=theirs_station, key="screen")
    own = make_maintenance(target=mine_station, key="screen")
    repair = make_maintenance(target=vehicle, key="flat-tyre")
    client = limited("vehicles.alerts", "maintenances", "networks.manage")
    query = {"networks": str(network.pk)}
    alerts = client.get(f"{API}/fleet-alerts", query).json()["data"]
    assert sorted(a["id"] for a in alerts) == sorted([vehicle_alert.pk, own_alert.pk])
    history = client.get(f"{API}/fleet-alerts/history", {**query, "cluster_id": theirs.pk}).json()["data"]
    assert history == []
    maintenances = client.get(f"{API}/maintenances", {**query, "lang": "en"}).json()["data"]
    assert sorted(m["id"] for m in maintenances) == sorted([own.pk, repair.pk])
    indicators = client.get(f"{API}/networks/{network.pk}").json()["data"]["indicators"]
    assert indicators["stations"] == 1


# --- organizational units --------------------------------------------------------------------------------
def test_a_cluster_limited_grant_neither_sees_nor_edits_a_unit_covering_the_whole_network(lyon, limited):
    network, mine, _ = lyon
    whole = make_unit(name="Lyon everyone", networks=[network])
    also_mine = make_unit(name="Bellecour night shift", networks=[network], clusters=[mine])
    client = limited("users.permissions")
    someone = make_rider()
    names = [u["name"] for u in client.get(f"{API}/organizational-units").json()["data"]]
    assert "Lyon everyone" not in names and "Bellecour night shift" in names
    before = database_state()
    body = {"ou_id": whole.pk, "name": "Renamed", "app_labels": [], "organizations": [], "networks": [network.pk],
            "clusters": [mine.pk]}
    assert code(client.put(f"{API}/organizational-units", body, format="json")) == -5
    assert code(client.get(f"{API}/organizational-units/{whole.pk}/users")) == -5
    assert code(client.delete(f"{API}/organizational-units/{whole.pk}")) == -5
    # Granting uses the same rule: on the whole-network unit, refused; on a unit inside its clusters, given.
    grant = {"perm_key": "users.permissions", "start_date": "2026-01-01T00:00:00Z", "end_date": None,
             "write": False, "organizational_unit": whole.pk}
    assert code(client.post(f"{API}/users/{someone.pk}/permissions", grant, format="json")) == -2
    assert database_state() == before
    grant["organizational_unit"] = also_mine.pk
    assert code(client.post(f"{API}/users/{someone.pk}/permissions", grant, format="json")) == 0
    # A new unit covering the whole network would widen what the staff member holds: refused.
    body = {"name": "Wider", "app_labels": [], "organizations": [], "networks": [network.pk], "clusters": []}
    assert code(client.post(f"{API}/organizational-units", body, format="json")) == -4


# --- a vehicle moved between networks ----------------------------------------------------------------------
def test_a_moved_vehicle_shows_none_of_its_old_networks_history(staff_user, admin_client):
    old, new = make_network(name="Grenoble"), make_network(name="Lyon")
    vehicle = make_vehicle(network=old)
    repair = make_maintenance(target=vehicle, key="flat-tyre", comment="Grenoble workshop")
    Maintenance.objects.filter(pk=repair.pk).update(started_at=timezone.now() - timedelta(days=20),
                                                    ended_at=timezone.now() - timedelta(days=19))
    make_alert(vehicle=vehicle, message="Fallen in Grenoble", resolved=True)
    still_open = make_alert(vehicle=vehicle, message="Lifted", alert_type="vehicle-lifted")
    last_in_old = make_trip(network=old, vehicle=vehicle, started_at=timezone.now() - timedelta(hours=1))
    assert code(admin_client.put(f"{API}/vehicles/{vehicle.pk}/network", {"network_id": new.pk}, format="json")) == 0
    first_in_new = make_trip(network=new, vehicle=vehicle, started_at=timezone.now() - timedelta(hours=3))
    # The rider of Lyon's trip parked it; the next trip (in Grenoble, before the move back) is not Lyon's business.
    make_grant(staff_user, "vehicles.manage", unit=make_unit(networks=[new]))
    client = client_for(staff_user)

    assert client.get(f"{API}/vehicles/{vehicle.pk}/maintenances", {"lang": "en"}).json()["data"] == []
    # What was still open when it moved follows the vehicle (changeVehicleNetwork); closed history stays.
    assert [a["id"] for a in client.get(f"{API}/vehicles/{vehicle.pk}/alerts").json()["data"]] == [still_open.pk]
    stats = client.get(f"{API}/vehicles/{vehicle.pk}/statistics").json()["data"]
    assert (stats["trip_count"], stats["maintenance_count"], stats["last_maintenance"], stats["open_alert_count"]) \
        == (1, 0, None, 1)
    timeline = client.get(f"{API}/vehicles/{vehicle.pk}/timeline").json()["data"]
    assert {e["type"] for e in timeline} == {"trip", "parking"}
    parking = next(e for e in timeline if e["type"] == "parking")
    assert parking["trip_id"] == first_in_new.pk and parking["end_date"] is None, parking
    # The superuser sees both networks' history, the next trip included.
    everything = admin_client.get(f"{API}/vehicles/{vehicle.pk}/timeline").json()["data"]
    parked = next(e for e in everything if e["type"] == "parking" and e["trip_id"] == first_in_new.pk)
    assert parked["end_date"] is not None and last_in_old.pk in {e["trip_id"] for e in everything}
