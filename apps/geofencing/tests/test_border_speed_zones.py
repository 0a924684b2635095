"""A network's border, what happens beyond it, and its speed zones."""
import pytest

from apps.access.tests.factories import make_unit
from apps.core.testing.responses import code, fields_of
from apps.geofencing.models import BorderSettings, NetworkBorder, SpeedZone
from apps.geofencing.services import speed_zone_create
from apps.networks.tests.factories import make_network

from .factories import SQUARE

API = "/api/dashboard/v1/geofencing"
TRIANGLE = [[45.70, 4.80], [45.70, 4.90], [45.80, 4.85]]
FLAGS = {"trigger_alert": True, "notify_user": False, "reduce_vehicle_speed": True, "play_vehicle_sound": False,
         "lock_vehicle": False}


def put(client, url, body):
    return client.put(url, body, content_type="application/json")


@pytest.fixture
def network(db):
    return make_network()


def test_border_before_and_after_it_is_drawn(admin_client, network):
    data = admin_client.get(f"{API}/border", {"network_id": network.pk}).json()["data"]
    assert data["shape"] is None and data["geojson"] is None
    assert data["settings"] == dict.fromkeys(FLAGS, False)

    assert code(put(admin_client, f"{API}/border/shape", {"network_id": network.pk, "shape": TRIANGLE})) == 0
    assert code(put(admin_client, f"{API}/border/settings", {"network_id": network.pk, **FLAGS})) == 0
    data = admin_client.get(f"{API}/border", {"network_id": network.pk}).json()["data"]
    assert data["shape"] == TRIANGLE and data["settings"] == FLAGS
    assert data["geojson"]["coordinates"][0][:3] == [[4.80, 45.70], [4.90, 45.70], [4.85, 45.80]]

    assert code(put(admin_client, f"{API}/border/shape", {"network_id": network.pk, "shape": SQUARE})) == 0
    assert NetworkBorder.objects.get().shape == SQUARE  # replaced, not added


@pytest.mark.parametrize("body, field", [
    ({"shape": [[0, 0], [1, 1]]}, "shape"),
    ({"shape": [[0, 0], [2, 2], [0, 2], [3, 0]]}, "shape"),
    ({"network_id": 1.5}, "network_id"),
    ({"network_id": 999999}, "network_id"),
    ({"network_id": None}, "network_id"),
])
def test_border_shape_validation_changes_nothing(admin_client, network, body, field):
    response = put(admin_client, f"{API}/border/shape", {"network_id": network.pk, "shape": TRIANGLE, **body})
    assert code(response) == -2 and field in fields_of(response)
    assert not NetworkBorder.objects.exists()


@pytest.mark.parametrize("flag", list(FLAGS))
def test_border_settings_need_every_flag_as_a_boolean(admin_client, network, flag):
    for body in ({**FLAGS, flag: "yes"}, {k: v for k, v in FLAGS.items() if k != flag}):
        response = put(admin_client, f"{API}/border/settings", {"network_id": network.pk, **body})
        assert code(response) == -2 and flag in fields_of(response)
    assert not BorderSettings.objects.exists()


def test_speed_zones_create_list_update_delete(admin_client, network):
    assert code(admin_client.post(f"{API}/speed-zones", {"network_id": network.pk, "shape": SQUARE, "max_speed": 12},
                                  content_type="application/json")) == 0
    speed_zone_create(network=make_network(), shape=SQUARE, max_speed=8)  # another network
    zones = admin_client.get(f"{API}/speed-zones", {"network_id": network.pk}).json()["data"]
    assert [(z["max_speed"], z["shape"]) for z in zones] == [(12, SQUARE)]
    zone_id = zones[0]["id"]

    assert code(put(admin_client, f"{API}/speed-zones", {"speed_zone_id": zone_id, "max_speed": 20})) == 0
    assert code(put(admin_client, f"{API}/speed-zones", {"speed_zone_id": zone_id, "shape": TRIANGLE})) == 0
    zone = SpeedZone.objects.get(pk=zone_id)
    assert (zone.max_speed, zone.shape, zone.max_latitude) == (20, TRIANGLE, 45.80)

    assert code(admin_client.delete(f"{API}/speed-zones/{zone_id}")) == 0
    zone.refresh_from_db()
    assert zone.deleted_at is not None  # kept, dated
    assert admin_client.get(f"{API}/speed-zones", {"network_id": network.pk}).json()["data"] == []
    assert code(admin_client.delete(f"{API}/speed-zones/{zone_id}")) == -5
    response = put(admin_client, f"{API}/speed-zones", {"speed_zone_id": zone_id, "max_speed": 6})
    assert code(response) == -2 and "speed_zone_id" in fields_of(response)


@pytest.mark.parametrize("max_speed", [5, 26, "10", None, 12.5])
def test_speed_zone_max_speed_is_6_to_25(admin_client, network, max_speed):
    response = admin_client.post(f"{API}/speed-zones", {"network_id": network.pk, "shape": SQUARE,
                                                        "max_speed": max_speed}, content_type="application/json")
    assert code(response) == -2 and "max_speed" in fields_of(response)
    zone = speed_zone_create(network=network, shape=SQUARE, max_speed=10)
    response = put(admin_client, f"{API}/speed-zones", {"speed_zone_id": zone.pk, "max_speed": max_speed})
    assert code(response) == -2 and "max_speed" in fields_of(response)
    zone.refresh_from_db()
    assert zone.max_speed == 10 and SpeedZone.objects.count() == 1


def test_a_network_admin_cannot_touch_another_networks_zones(client, staff_user, grant_access, network):
    other = make_network()
    theirs = speed_zone_create(network=other, shape=SQUARE, max_speed=10)
    grant_access(staff_user, "networks.manage", write=True, where=make_unit(networks=[network]))
    client.force_login(staff_user)
    assert code(client.get(f"{API}/speed-zones", {"network_id": other.pk})) == -4
    assert code(put(client, f"{API}/speed-zones", {"speed_zone_id": theirs.pk, "max_speed": 6})) == -2
    assert code(client.delete(f"{API}/speed-zones/{theirs.pk}")) == -5
    assert code(put(client, f"{API}/border/shape", {"network_id": other.pk, "shape": SQUARE})) == -4
    theirs.refresh_from_db()
    assert (theirs.max_speed, theirs.deleted_at) == (10, None) and not NetworkBorder.objects.exists()
