"""Cluster balancing: donors and receivers, route discounts, and the SQL estimate of a route's duration."""

import pytest

from apps.access.tests.factories import make_unit
from apps.balancing.models import BalancingDiscount, ClusterBalancing
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.core.testing.responses import code, error_key
from apps.fleet.tests.factories import make_cluster, make_station, make_vehicle
from apps.networks.tests.factories import make_network
from apps.trips.tests.factories import make_trip

API = "/api/dashboard/v1/networks"


def balance(cluster, kind, target=5):
    return ClusterBalancing.objects.create(cluster=cluster, network=cluster.network, balancing_type=kind,
                                           target_count=target)


def route(network=None):
    network = network or make_network()
    donor = balance(make_cluster(network=network), "donor")
    receiver = balance(make_cluster(network=network), "receiver")
    return donor, receiver


def _balanced():
    balancing = balance(make_cluster(), "donor")
    return balancing.network_id, balancing.cluster_id


def _discount_body():
    donor, receiver = route()
    return Request(path_params={"network_id": donor.network_id}, body={
        "donor_cluster_id": donor.cluster_id, "receiver_cluster_id": receiver.cluster_id, "discount_amount": 0.5})


def _estimate():
    donor, receiver = route()
    make_trip(network=donor.network, start_cluster=donor.cluster, end_cluster=receiver.cluster)
    return Request(path_params={"network_id": donor.network_id}, query={
        "donor_cluster_id": donor.cluster_id, "receiver_cluster_id": receiver.cluster_id, "fastest_trip_percentage": 10})


CASES = [
    OperationCase("listClusterBalancing", lambda: Request(path_params={"network_id": _balanced()[0]})),
    OperationCase("createClusterBalancing", lambda: (lambda c: Request(
        path_params={"network_id": c.network_id},
        body={"cluster_id": c.pk, "target_count": 6, "balancing_type": "receiver"}))(make_cluster())),
    OperationCase("updateClusterBalancing", lambda: (lambda ids: Request(
        path_params={"network_id": ids[0]}, body={"cluster_id": ids[1], "target_count": 2}))(_balanced())),
    OperationCase("deleteClusterBalancing", lambda: (lambda ids: Request(
        path_params={"network_id": ids[0]}, query={"cluster_id": ids[1]}))(_balanced())),
    OperationCase("listClusterBalancingDiscounts", lambda: Request(path_params={"network_id": route()[0].network_id})),
    OperationCase("updateClusterBalancingDiscount", _discount_body),
    OperationCase("getClusterBalancingEstimate", _estimate),
]

globals().update(contract_tests(CASES))


@pytest.fixture
def network(db):
    return make_network()


def test_balancing_lifecycle(admin_client, network, django_assert_max_num_queries):
    url = f"{API}/{network.pk}/balancing"
    donor, receiver = make_cluster(network=network, name="Gare"), make_cluster(network=network, name="Parc")
    for spot in make_station(cluster=donor, spots=3).spots.all()[:2]:
        make_vehicle(network=network, spot=spot)
    assert code(admin_client.post(url, {"cluster_id": donor.pk, "target_count": 1, "balancing_type": "donor"},
                                  content_type="application/json")) == 0
    assert code(admin_client.post(url, {"cluster_id": receiver.pk, "target_count": 6, "balancing_type": "receiver"},
                                  content_type="application/json")) == 0
    again = admin_client.post(url, {"cluster_id": donor.pk, "target_count": 3, "balancing_type": "receiver"},
                              content_type="application/json")
    assert code(again) == -6 and error_key(again) == "balancing.already_set"
    assert code(admin_client.put(url, {"cluster_id": receiver.pk, "target_count": 9},
                                 content_type="application/json")) == 0
    with django_assert_max_num_queries(5):
        data = admin_client.get(url).json()["data"]
    assert [(b["cluster"]["name"], b["balancing_type"], b["target_count"], b["docked_vehicle_count"]) for b in data] == [
        ("Gare", "donor", 1, 2), ("Parc", "receiver", 9, 0)]

    discounts = f"{url}/discounts"
    body = {"donor_cluster_id": donor.pk, "receiver_cluster_id": receiver.pk, "discount_amount": 0.755}
    assert code(admin_client.put(discounts, body, content_type="application/json")) == 0
    assert code(admin_client.put(discounts, {**body, "discount_amount": 1}, content_type="application/json")) == 0
    listed = admin_client.get(discounts).json()["data"]
    assert [(d["donor_cluster"]["name"], d["receiver_cluster"]["name"], d["discount_amount"]) for d in listed] == [
        ("Gare", "Parc", 1)]
    assert code(admin_client.delete(f"{url}?cluster_id={donor.pk}")) == 0
    assert not BalancingDiscount.objects.exists()  # a route goes with its donor
    assert code(admin_client.delete(f"{url}?cluster_id={donor.pk}")) == -5


def test_discount_routes_go_from_a_donor_to_a_receiver(admin_client, network):
    donor, receiver = route(network)
    url = f"{API}/{network.pk}/balancing/discounts"
    body = {"donor_cluster_id": donor.cluster_id, "receiver_cluster_id": receiver.cluster_id, "discount_amount": 1}
    reversed_route = {**body, "donor_cluster_id": receiver.cluster_id, "receiver_cluster_id": donor.cluster_id}
    response = admin_client.put(url, reversed_route, content_type="application/json")
    assert code(response) == -6 and error_key(response) == "balancing.not_donor"
    unbalanced = make_cluster(network=network)
    response = admin_client.put(url, {**body, "receiver_cluster_id": unbalanced.pk}, content_type="application/json")
    assert code(response) == -6 and error_key(response) == "balancing.not_receiver"
    foreign = make_cluster()
    response = admin_client.put(url, {**body, "receiver_cluster_id": foreign.pk}, content_type="application/json")
    assert code(response) == -2 and "receiver_cluster_id" in response.json()["message"]["fields"]
    for amount in (-1, "1", None):
        response = admin_client.put(url, {**body, "discount_amount": amount}, content_type="application/json")
        assert code(response) == -2
    assert not BalancingDiscount.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"target_count": -1}, "target_count"), ({"target_count": "5"}, "target_count"),
    ({"balancing_type": "giver"}, "balancing_type"), ({"cluster_id": 999999}, "cluster_id"),
])
def test_create_validation(admin_client, network, body, field):
    cluster = make_cluster(network=network)
    base = {"cluster_id": cluster.pk, "target_count": 5, "balancing_type": "donor"}
    response = admin_client.post(f"{API}/{network.pk}/balancing", {**base, **body}, content_type="application/json")
    assert code(response) == -2 and field in response.json()["message"]["fields"]
    assert not ClusterBalancing.objects.exists()


def test_a_cluster_of_another_network_cannot_be_balanced_here(admin_client, network):
    response = admin_client.post(f"{API}/{network.pk}/balancing", {
        "cluster_id": make_cluster().pk, "target_count": 5, "balancing_type": "donor"}, content_type="application/json")
    assert code(response) == -2 and not ClusterBalancing.objects.exists()


def test_estimate_averages_the_fastest_trips_per_model(admin_client, network):
    donor, receiver = route(network)
    bike = make_vehicle(network=network, model_name="E-Bike V3")
    scooter = make_vehicle(network=network, model_name="E-Scooter S2")
    for minutes in (10, 12, 14, 20, 30, 40, 50, 60, 70, 80):  # 10 bike trips
        make_trip(network=network, vehicle=bike, start_cluster=donor.cluster, end_cluster=receiver.cluster,
                  duration=minutes * 60)
    make_trip(network=network, vehicle=scooter, start_cluster=donor.cluster, end_cluster=receiver.cluster, duration=300)
    make_trip(network=network, vehicle=bike, start_cluster=receiver.cluster, end_cluster=donor.cluster, duration=60)
    make_trip(network=network, vehicle=bike, start_cluster=donor.cluster, end_cluster=receiver.cluster, duration=30,
              state="cancelled", ended_at=None)
    url = f"{API}/{network.pk}/balancing/estimate"
    query = {"donor_cluster_id": donor.cluster_id, "receiver_cluster_id": receiver.cluster_id}
    data = admin_client.get(url, {**query, "fastest_trip_percentage": 30}).json()["data"]
    assert data == [
        {"model": {"id": bike.model_id, "name": "E-Bike V3"}, "trip_count": 10, "sample_size": 3,
         "average_duration": 720},  # (10 + 12 + 14) / 3 minutes
        {"model": {"id": scooter.model_id, "name": "E-Scooter S2"}, "trip_count": 1, "sample_size": 1,
         "average_duration": 300}]
    assert admin_client.get(url, {**query, "fastest_trip_percentage": 1}).json()["data"][0]["sample_size"] == 1
    for bad in (0, 51):
        assert code(admin_client.get(url, {**query, "fastest_trip_percentage": bad})) == -2
    # A cluster that is not in the network (or not visible) is named like any unknown id.
    unknown = admin_client.get(url, {**query, "donor_cluster_id": 999999, "fastest_trip_percentage": 10}).json()
    assert unknown["code"] == -2 and "donor_cluster_id" in unknown["message"]["fields"]
    trips_elsewhere = make_cluster()
    other = admin_client.get(url, {**query, "receiver_cluster_id": trips_elsewhere.pk, "fastest_trip_percentage": 10})
    assert "receiver_cluster_id" in other.json()["message"]["fields"]


def test_other_networks_balancing_is_out_of_reach(client, staff_user, grant_access, network):
    donor, _ = route()
    grant_access(staff_user, "networks.manage", write=True, where=make_unit(networks=[network]))
    client.force_login(staff_user)
    assert code(client.get(f"{API}/{donor.network_id}/balancing")) == -5
    assert code(client.delete(f"{API}/{network.pk}/balancing?cluster_id={donor.cluster_id}")) == -5
    assert ClusterBalancing.objects.filter(pk=donor.pk).exists()
