"""Out of orders: periods during which a network's service is suspended."""
import pytest

from apps.content.models import Language, Localization
from apps.core.testing.responses import code, fields_of
from apps.networks.models import OutOfOrder

from .factories import make_network

API = "/api/dashboard/v1"


@pytest.fixture
def network(db):
    return make_network()


def create(client, network, **body):
    body = {"type": "winter", "start_date": "2099-12-01T00:00:00Z", **body}
    return client.post(f"{API}/networks/{network.pk}/out-of-orders", body, content_type="application/json")


def test_create_and_read_an_out_of_order(admin_client, network, superuser):
    response = create(admin_client, network, reason="Snow season", end_date="2100-03-01T00:00:00Z")
    data = response.json()["data"]
    assert (data["type"], data["reason"], data["network_id"], data["created_by_id"]) == (
        "winter", "Snow season", network.pk, superuser.pk)
    assert data["end_date"] == "2100-03-01T00:00:00Z" and data["active"] is False
    fetched = admin_client.get(f"{API}/out-of-orders/{data['id']}", {"lang": "fr"}).json()["data"]
    assert fetched["type_label"] == "Fermeture hivernale" and fetched["start_date"] == "2099-12-01T00:00:00Z"
    assert admin_client.get(f"{API}/out-of-orders/{data['id']}", {"lang": "de"}).json()["data"]["type_label"] == (
        "Winter closure")


def test_type_label_can_be_reworded_per_language(admin_client, network):
    german = Language.objects.create(iso_639_1="de", name="Deutsch")
    Localization.objects.create(language=german, key="out_of_order.winter", value="Winterpause")
    out_of_order_id = create(admin_client, network).json()["data"]["id"]
    data = admin_client.get(f"{API}/out-of-orders/{out_of_order_id}", {"lang": "de"}).json()["data"]
    assert data["type_label"] == "Winterpause"


def test_active_now(admin_client, network):
    data = create(admin_client, network, start_date="2020-01-01T00:00:00Z").json()["data"]
    assert data["active"] is True


@pytest.mark.parametrize("body, field", [
    ({"type": "summer"}, "type"),
    ({"type": None}, "type"),
    ({"reason": ""}, "reason"),
    ({"reason": "x" * 101}, "reason"),
    ({"start_date": "tomorrow"}, "start_date"),
    ({"start_date": None}, "start_date"),
    ({"end_date": "2099-13-01T00:00:00Z"}, "end_date"),
    ({"end_date": "2099-12-01T00:00:00Z"}, "end_date"),  # not after the start
    ({"end_date": "2099-11-01T00:00:00Z"}, "end_date"),
    ({"color": "red"}, "color"),
])
def test_create_validation_changes_nothing(admin_client, network, body, field):
    response = create(admin_client, network, **body)
    assert code(response) == -2 and field in fields_of(response)
    assert not OutOfOrder.objects.exists()


def test_periods_of_a_network_never_overlap(admin_client, network):
    assert code(create(admin_client, network, end_date="2100-03-01T00:00:00Z")) == 0
    overlapping = [("2100-02-01T00:00:00Z", "2100-04-01T00:00:00Z"), ("2099-11-01T00:00:00Z", None),
                   ("2099-11-01T00:00:00Z", "2099-12-02T00:00:00Z"), ("2099-12-10T00:00:00Z", "2099-12-11T00:00:00Z")]
    for start, end in overlapping:
        response = create(admin_client, network, start_date=start, end_date=end)
        assert code(response) == -6 and response.json()["message"]["key"] == "out_of_order.overlap", (start, end)
    assert code(create(admin_client, network, start_date="2100-03-01T00:00:00Z")) == 0  # starts as the other ends
    assert code(create(admin_client, make_network(), start_date="2099-12-15T00:00:00Z")) == 0  # another network
    assert OutOfOrder.objects.count() == 3


def test_update_reason_and_end(admin_client, network):
    out_of_order_id = create(admin_client, network, reason="Snow").json()["data"]["id"]
    url = f"{API}/out-of-orders/{out_of_order_id}"
    assert code(admin_client.put(url, {"end_date": "2100-01-15T00:00:00Z"}, content_type="application/json")) == 0
    out_of_order = OutOfOrder.objects.get()
    assert (out_of_order.reason, out_of_order.end_date.isoformat()) == ("Snow", "2100-01-15T00:00:00+00:00")
    assert code(admin_client.put(url, {"reason": None, "end_date": None}, content_type="application/json")) == 0
    out_of_order.refresh_from_db()
    assert (out_of_order.reason, out_of_order.end_date) == ("", None)


def test_update_validation_and_overlap_change_nothing(admin_client, network):
    first = create(admin_client, network, end_date="2100-01-01T00:00:00Z").json()["data"]["id"]
    create(admin_client, network, start_date="2100-02-01T00:00:00Z")
    url = f"{API}/out-of-orders/{first}"
    response = admin_client.put(url, {"reason": "Longer", "end_date": "2100-02-15T00:00:00Z"},
                                content_type="application/json")
    assert code(response) == -6 and response.json()["message"]["key"] == "out_of_order.overlap"
    for body, field in [({"end_date": "2099-11-01T00:00:00Z"}, "end_date"), ({"reason": ""}, "reason"),
                        ({"type": "other"}, "type")]:
        response = admin_client.put(url, body, content_type="application/json")
        assert code(response) == -2 and field in fields_of(response), body
    out_of_order = OutOfOrder.objects.get(pk=first)
    assert (out_of_order.reason, out_of_order.end_date.isoformat()) == ("", "2100-01-01T00:00:00+00:00")


def test_station_staff_read_but_do_not_change(client, staff_user, grant_access, network):
    from apps.access.tests.factories import make_unit
    from apps.networks.services import out_of_order_create

    out_of_order = out_of_order_create(network=network, type="other", start_date="2099-12-01T00:00:00Z")
    grant_access(staff_user, "stations", where=make_unit(networks=[network]))
    client.force_login(staff_user)
    assert code(client.get(f"{API}/out-of-orders/{out_of_order.pk}", {"lang": "en"})) == 0
    response = client.put(f"{API}/out-of-orders/{out_of_order.pk}", {"reason": "x"}, content_type="application/json")
    assert code(response) == -4
