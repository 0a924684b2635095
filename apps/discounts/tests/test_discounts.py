"""Discounts and their codes through the dashboard API."""
import pytest

from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.core.testing.responses import code, error_key, fields_of
from apps.discounts.models import CouponUse, Discount, DiscountCode
from apps.networks.tests.factories import make_network
from apps.organizations.tests.factories import make_organization
from apps.trips.tests.factories import make_trip

from .factories import make_code, make_discount

API = "/api/dashboard/v1"
NEW = {"name": "Spring", "type": 6, "data": 15, "start_date": "2026-03-01", "request_end_date": "2026-03-31",
       "stop_date": "2026-06-30"}

CASES = [
    OperationCase("listDiscounts", lambda: (make_code(), Request())[1]),
    OperationCase("createDiscount", lambda: Request(body={**NEW, "network_id": make_network().pk})),
    OperationCase("updateDiscount", lambda: Request(path_params={"id": make_discount().pk}, body={"data": 25})),
    OperationCase("deleteDiscount", lambda: Request(path_params={"id": make_discount().pk})),
    OperationCase("createDiscountCode", lambda: Request(path_params={"id": make_discount().pk}, body={
        "code": "SPRING-26", "remaining": 100, "email_access_pattern": "%"})),
    OperationCase("updateDiscountCode", lambda: Request(path_params={"id": make_code().pk}, body={"remaining": 5})),
    OperationCase("deleteDiscountCode", lambda: Request(path_params={"id": make_code().pk})),
]

globals().update(contract_tests(CASES))


@pytest.fixture
def network(db):
    return make_network()


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def put(client, url, body):
    return client.put(url, body, content_type="application/json")


def test_create_and_list_with_codes_and_coupon_conditions(admin_client, network):
    organization = make_organization()
    discount_id = post(admin_client, f"{API}/discounts", {
        **NEW, "network_id": network.pk, "valid_from_time": "07:00", "valid_until_time": "10:00", "cumulative": True,
        "organization_ids": [organization.pk]}).json()["data"]
    assert code(post(admin_client, f"{API}/discounts/{discount_id}/codes",
                     {"code": "SPRING-26", "remaining": 10, "email_access_pattern": "%@ACME.com"})) == 0
    make_discount(network=network, disabled_at="2026-01-01T00:00:00Z")  # deleted after use: not listed
    data = admin_client.get(f"{API}/discounts").json()["data"]
    assert len(data) == 1
    listed = data[0]
    assert (listed["type"], listed["data"], listed["valid_from_time"], listed["cumulative"]) == (6, 15, "07:00:00", True)
    assert listed["organization_ids"] == [organization.pk]
    assert listed["codes"][0] | {"id": 0, "created_at": ""} == {
        "id": 0, "code": "SPRING-26", "remaining": 10, "email_access_pattern": "%@acme.com", "use_count": 0,
        "created_at": ""}


@pytest.mark.parametrize("change, field", [
    ({"type": 4}, "type"), ({"data": -1}, "data"), ({"data": 101}, "data"), ({"name": ""}, "name"),
    ({"start_date": "2026-02-30"}, "start_date"), ({"stop_date": "2026-02-01"}, "stop_date"),
    ({"request_end_date": "2026-02-01"}, "request_end_date"), ({"valid_from_time": "07:00"}, "valid_until_time"),
    ({"organization_ids": [999999]}, "organizations"), ({"network_id": 999999}, "network_id"),
])
def test_create_discount_validation(admin_client, network, change, field):
    response = post(admin_client, f"{API}/discounts", {**NEW, "network_id": network.pk, **change})
    assert code(response) == -2 and field in fields_of(response)
    assert not Discount.objects.exists()


def test_credit_discounts_may_exceed_100(admin_client, network):
    assert code(post(admin_client, f"{API}/discounts", {**NEW, "type": 1, "data": 250, "network_id": network.pk})) == 0


def test_update_discount_is_partial(admin_client, network):
    discount = make_discount(network=network, name="Old")
    assert put(admin_client, f"{API}/discounts/{discount.pk}", {"data": 30}).json() == {"code": 0, "data": discount.pk}
    discount.refresh_from_db()
    assert (discount.name, discount.data) == ("Old", 30)


def test_delete_removes_an_unused_discount_and_disables_a_used_one(admin_client, network):
    unused, used = make_discount(network=network), make_discount(network=network)
    trip = make_trip(network=network)
    CouponUse.objects.create(trip=trip, code=make_code(discount=used), rider=trip.rider)
    assert code(admin_client.delete(f"{API}/discounts/{unused.pk}")) == 0
    assert code(admin_client.delete(f"{API}/discounts/{used.pk}")) == 0
    assert not Discount.objects.filter(pk=unused.pk).exists()
    used.refresh_from_db()
    assert used.disabled_at is not None
    response = put(admin_client, f"{API}/discounts/{used.pk}", {"data": 1})
    assert code(response) == -6 and error_key(response) == "discount.disabled"


def test_codes_are_unique_and_used_codes_stay(admin_client, network):
    discount = make_discount(network=network)
    make_code(code="TAKEN")
    response = post(admin_client, f"{API}/discounts/{discount.pk}/codes",
                    {"code": "TAKEN", "remaining": 1, "email_access_pattern": "%"})
    assert code(response) == -6 and error_key(response) == "discount_code.code_taken"
    for body, field in [({"code": "lower"}, "code"), ({"remaining": -2}, "remaining"),
                        ({"email_access_pattern": ""}, "email_access_pattern"),
                        ({"email_access_pattern": "%\\"}, "email_access_pattern")]:
        response = post(admin_client, f"{API}/discounts/{discount.pk}/codes",
                        {"code": "NEW", "remaining": 1, "email_access_pattern": "%", **body})
        assert code(response) == -2 and field in fields_of(response), body
    used = make_code(discount=discount)
    trip = make_trip(network=network)
    CouponUse.objects.create(trip=trip, code=used, rider=trip.rider)
    response = admin_client.delete(f"{API}/discount-codes/{used.pk}")
    assert code(response) == -6 and error_key(response) == "discount_code.used"
    assert code(put(admin_client, f"{API}/discount-codes/{used.pk}", {"remaining": 0})) == 0
    assert DiscountCode.objects.get(pk=used.pk).remaining == 0
    assert DiscountCode.objects.filter(code="TAKEN").count() == 1
