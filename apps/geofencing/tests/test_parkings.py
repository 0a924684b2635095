"""Virtual parkings through the HTTP API: shapes validated, served as given and as GeoJSON, vehicles inside."""
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.geo import ShapeError, polygon_from_points
from apps.core.testing.responses import code
from apps.fleet.tests.factories import make_cluster, make_station, make_vehicle
from apps.geofencing.models import VirtualParking
from apps.networks.tests.factories import make_network

from .factories import SQUARE, make_parking

API = "/api/dashboard/v1"


@pytest.fixture
def cluster(db):
    return make_cluster()


def park(network, latitude, longitude, **fields):
    return make_vehicle(network=network, latitude=Decimal(str(latitude)), longitude=Decimal(str(longitude)), **fields)


def test_create_cluster_parking_stores_shape_and_bounding_box(admin_client, cluster):
    response = admin_client.post(f"{API}/clusters/{cluster.pk}/parkings", {"shape": SQUARE, "capacity": 6},
                                 content_type="application/json")
    assert response.status_code == 200 and response.json() == {"code": 0}
    data = admin_client.get(f"{API}/clusters/{cluster.pk}/parkings").json()["data"][0]
    assert data["shape"] == SQUARE and data["capacity"] == 6 and data["cluster_id"] == cluster.pk
    assert data["network_id"] == cluster.network_id
    ring = data["geojson"]["coordinates"][0]
    assert data["geojson"]["type"] == "Polygon" and ring[0] == ring[-1] and [4.8351, 45.7635] in ring
    parking = VirtualParking.objects.get(pk=data["id"])
    assert (parking.min_latitude, parking.max_latitude) == (45.7635, 45.7645)
    assert (parking.min_longitude, parking.max_longitude) == (4.8351, 4.8361)


def test_cluster_parkings_list_the_vehicles_inside(admin_client, cluster, django_assert_max_num_queries):
    network = cluster.network
    parking = make_parking(cluster=cluster, capacity=2)
    make_parking(cluster=cluster, shape=[[45.70, 4.80], [45.70, 4.81], [45.71, 4.80]], capacity=1)
    inside = park(network, 45.7640, 4.8356, serial_number="IN1")
    park(network, 45.7644, 4.8352, serial_number="IN2")
    park(network, 45.7650, 4.8356, serial_number="OUT")  # north of the square
    park(make_network(), 45.7640, 4.8356, serial_number="OTHERNET")  # same place, another network
    park(network, 45.7640, 4.8356, serial_number="RETIRED", decommissioned_at=timezone.now())
    park(network, 45.7640, 4.8356, serial_number="DOCKED", spot=make_station(cluster=cluster, spots=1).spots.get())
    make_vehicle(network=network, serial_number="NOPOS")

    with django_assert_max_num_queries(6):  # cluster, parkings, vehicles + the access log
        data = admin_client.get(f"{API}/clusters/{cluster.pk}/parkings").json()["data"]
    first, second = data
    assert first["id"] == parking.pk
    assert [v["serial_number"] for v in first["vehicles"]] == ["IN1", "IN2"]
    assert first["vehicles"][0] == {"id": inside.pk, "serial_number": "IN1", "model_name": "E-Bike V3"}
    assert first["free_places"] == 0 and second["vehicles"] == [] and second["free_places"] == 1


def test_concave_shape_excludes_its_notch(admin_client, cluster):
    # A "U": the middle of the top edge is carved out.
    u_shape = [[0, 0], [0, 3], [3, 3], [3, 2], [1, 2], [1, 1], [3, 1], [3, 0]]
    make_parking(cluster=cluster, shape=[[lat / 1000 + 45, lng / 1000 + 4] for lat, lng in u_shape])
    park(cluster.network, 45.002, 4.0015, serial_number="NOTCH")  # inside the bounding box, in the notch
    park(cluster.network, 45.0005, 4.0015, serial_number="BASE")
    data = admin_client.get(f"{API}/clusters/{cluster.pk}/parkings").json()["data"]
    assert [v["serial_number"] for v in data[0]["vehicles"]] == ["BASE"]


@pytest.mark.parametrize("shape, problem", [
    ([[45.0, 4.0], [45.1, 4.0]], "at least 3 distinct points"),
    ([[45.0, 4.0], [45.1, 4.0], [45.0, 4.0]], "at least 3 distinct points"),
    ([[0, 0], [2, 2], [0, 2], [3, 0]], "not a simple polygon"),  # a bow tie crosses itself
    ([[0, 0], [1, 1], [2, 2]], "encloses no area"),
    ([[91, 0], [0, 1], [1, 1]], "latitude must be between -90 and 90"),
    ([[0, 181], [0, 1], [1, 1]], "longitude must be between -180 and 180"),
    ([[0, 0], [0, 1, 2], [1, 1]], "Point 1 must be a [latitude, longitude] pair"),
    ([[0, 0], ["0", 1], [1, 1]], "Point 1 must be a [latitude, longitude] pair"),
    ([[0, 0], [True, 1], [1, 1]], "Point 1 must be a [latitude, longitude] pair"),
    ("0,0 1,1 0,1", "list of [latitude, longitude] points"),
])
def test_invalid_shapes_are_refused_and_nothing_is_created(admin_client, cluster, shape, problem):
    response = admin_client.post(f"{API}/clusters/{cluster.pk}/parkings", {"shape": shape, "capacity": 1},
                                 content_type="application/json")
    assert response.status_code == 400 and code(response) == -2
    assert problem in str(response.json()["message"]["fields"]["shape"])
    assert not VirtualParking.objects.exists()


def test_closed_ring_is_accepted():
    assert polygon_from_points(SQUARE + [SQUARE[0]]).equals(polygon_from_points(SQUARE))
    with pytest.raises(ShapeError):
        polygon_from_points([])


@pytest.mark.parametrize("capacity", [-1, "3", None, 1.5])
def test_capacity_must_be_a_non_negative_integer(admin_client, cluster, capacity):
    response = admin_client.post(f"{API}/clusters/{cluster.pk}/parkings", {"shape": SQUARE, "capacity": capacity},
                                 content_type="application/json")
    assert code(response) == -2 and "capacity" in response.json()["message"]["fields"]
    assert not VirtualParking.objects.exists()


def test_no_parking_on_a_decommissioned_cluster(admin_client, cluster):
    cluster.decommissioned_at = timezone.now()
    cluster.save()
    response = admin_client.post(f"{API}/clusters/{cluster.pk}/parkings", {"shape": SQUARE, "capacity": 1},
                                 content_type="application/json")
    assert code(response) == -6 and response.json()["message"]["key"] == "cluster.decommissioned"
    assert not VirtualParking.objects.exists()


def test_standalone_parkings_of_a_network(admin_client, cluster):
    network = cluster.network
    response = admin_client.post(f"{API}/geofencing/virtual-parkings",
                                 {"shape": SQUARE, "capacity": 4, "network_id": network.pk},
                                 content_type="application/json")
    standalone = response.json()["data"]
    assert standalone["cluster_id"] is None and standalone["network_id"] == network.pk
    attached = make_parking(cluster=cluster)
    make_parking()  # another network
    data = admin_client.get(f"{API}/geofencing/virtual-parkings", {"network_id": network.pk}).json()["data"]
    assert [p["id"] for p in data] == [standalone["id"], attached.pk]


def test_a_parking_belongs_to_a_network(admin_client, db):
    response = admin_client.post(f"{API}/geofencing/virtual-parkings",
                                 {"shape": SQUARE, "capacity": 4, "network_id": None}, content_type="application/json")
    assert code(response) == -2 and "network_id" in response.json()["message"]["fields"]
    response = admin_client.post(f"{API}/geofencing/virtual-parkings",
                                 {"shape": SQUARE, "capacity": 4, "network_id": 999999}, content_type="application/json")
    assert code(response) == -2 and not VirtualParking.objects.exists()


def test_update_and_delete_a_parking(admin_client, db):
    parking = make_parking(capacity=10)
    triangle = [[10, 10], [10, 11], [11, 10]]
    response = admin_client.put(f"{API}/geofencing/virtual-parkings/{parking.pk}", {"shape": triangle, "capacity": 2},
                                content_type="application/json")
    assert code(response) == 0
    parking.refresh_from_db()
    assert (parking.shape, parking.capacity, parking.max_latitude, parking.max_longitude) == (triangle, 2, 11, 11)
    bad = admin_client.put(f"{API}/geofencing/virtual-parkings/{parking.pk}", {"shape": triangle[:2], "capacity": 5},
                           content_type="application/json")
    assert code(bad) == -2
    parking.refresh_from_db()
    assert parking.capacity == 2
    assert code(admin_client.delete(f"{API}/geofencing/virtual-parkings/{parking.pk}")) == 0
    assert not VirtualParking.objects.exists()
    assert code(admin_client.delete(f"{API}/geofencing/virtual-parkings/{parking.pk}")) == -5


def test_cluster_limited_grant_sees_only_its_clusters_parkings(client, staff_user, grant_access, cluster):
    from apps.access.tests.factories import make_unit

    other = make_cluster(network=cluster.network)
    mine, theirs = make_parking(cluster=cluster), make_parking(cluster=other)
    standalone = make_parking(network=cluster.network)
    grant_access(staff_user, "virtual.parking", where=make_unit(networks=[cluster.network], clusters=[cluster]))
    client.force_login(staff_user)
    assert [p["id"] for p in client.get(f"{API}/clusters/{cluster.pk}/parkings").json()["data"]] == [mine.pk]
    assert code(client.get(f"{API}/clusters/{other.pk}/parkings")) == -5
    listed = client.get(f"{API}/geofencing/virtual-parkings", {"network_id": cluster.network_id}).json()["data"]
    assert [p["id"] for p in listed] == [mine.pk]
    assert theirs.pk != standalone.pk
