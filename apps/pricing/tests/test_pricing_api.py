"""Pricing rules through the HTTP API: windows in local time, no overlap, scope; and a quoted trip."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from apps.access.tests.factories import make_unit
from apps.core.testing.responses import code, fields_of
from apps.networks.tests.factories import make_network
from apps.pricing.engine import Segment
from apps.pricing.models import PricingRule
from apps.pricing.services import quote_trip

from .factories import make_rule, rule_body

API = "/api/dashboard/v1/pricing"


def post(client, body):
    return client.post(API, body, content_type="application/json")


@pytest.fixture
def network(db):
    return make_network()


def test_create_and_list_rules(admin_client, network, django_assert_max_num_queries):
    weekdays = rule_body(network, start_dow=1, start_hod="06:00:00", end_dow=5, end_hod="22:00:00",
                         unlock_included_time=300, use_per_minute_price=0.0125)
    created = post(admin_client, weekdays).json()["data"]
    assert (created["start_dow"], created["start_hod"], created["end_dow"], created["end_hod"]) == (1, "06:00:00", 5,
                                                                                                   "22:00:00")
    assert created["use_per_minute_price"] == 0.0125 and created["unlock_included_time"] == 300
    # The rest of the week wraps past Sunday midnight; 24:00:00 ends a day.
    weekend = rule_body(network, start_dow=5, start_hod="22:00:00", end_dow=1, end_hod="06:00:00")
    assert code(post(admin_client, weekend)) == 0
    make_rule()  # another network
    with django_assert_max_num_queries(4):
        data = admin_client.get(API, {"networks": network.pk}).json()["data"]
    assert [(r["start_dow"], r["start_hod"]) for r in data] == [(1, "06:00:00"), (5, "22:00:00")]


@pytest.mark.parametrize("window", [
    {"start_dow": 6, "start_hod": "12:00:00", "end_dow": 6, "end_hod": "24:00:00"},  # Saturday afternoon
    {"start_dow": 0, "start_hod": "00:00:00", "end_dow": 0, "end_hod": "00:00:00"},  # the whole week
    {"start_dow": 6, "start_hod": "23:00:00", "end_dow": 0, "end_hod": "01:00:00"},  # wraps over Sunday midnight
    {"start_dow": 3, "start_hod": "21:59:59", "end_dow": 3, "end_hod": "22:00:01"},
])
def test_overlapping_windows_are_refused(admin_client, network, window):
    make_rule(network=network, start=(5, 22 * 3600), end=(0, 6 * 3600))  # Friday 22:00 to Sunday 06:00
    make_rule(network=network, start=(3, 22 * 3600), end=(4, 0))  # Wednesday 22:00 to 24:00
    response = post(admin_client, rule_body(network, **window))
    assert code(response) == -6 and response.json()["message"]["key"] == "pricing.overlap"
    assert PricingRule.objects.count() == 2


def test_adjacent_windows_are_accepted(admin_client, network):
    make_rule(network=network, start=(5, 22 * 3600), end=(0, 6 * 3600))
    for window in ({"start_dow": 0, "start_hod": "06:00:00", "end_dow": 5, "end_hod": "22:00:00"},):
        assert code(post(admin_client, rule_body(network, **window))) == 0
    assert code(post(admin_client, rule_body(make_network()))) == 0  # other networks have their own week


@pytest.mark.parametrize("field, value", [
    ("start_dow", 7), ("start_dow", -1), ("end_dow", "1"), ("start_hod", "24:00:01"), ("start_hod", "8:00"),
    ("end_hod", "25:00:00"), ("end_hod", "12:60:00"), ("unlock_price", -1), ("unlock_price", "1"),
    ("unlock_price", "0.00001"), ("use_per_minute_price", 100000000), ("on_hold_price", None),
    ("freefloat_lock_price", True), ("unlock_included_time", -1), ("unlock_included_time", 1.5),
    ("network_id", 999999), ("network_id", 0),
])
def test_every_constraint_is_checked_and_nothing_changes(admin_client, network, field, value):
    rule = make_rule(network=network, start=(1, 0), end=(2, 0))
    for response in (post(admin_client, rule_body(network, **{"start_dow": 3, "end_dow": 4, field: value})),
                     admin_client.put(f"{API}/{rule.pk}", rule_body(network, **{field: value}),
                                      content_type="application/json")):
        assert code(response) == -2 and field in fields_of(response)
    rule.refresh_from_db()
    assert (PricingRule.objects.count(), rule.end_dow, rule.unlock_price) == (1, 2, Decimal("1"))


def test_update_keeps_the_no_overlap_rule_without_counting_the_rule_itself(admin_client, network):
    monday = make_rule(network=network, start=(1, 0), end=(2, 0))
    make_rule(network=network, start=(3, 0), end=(4, 0))
    url = f"{API}/{monday.pk}"
    wider = rule_body(network, start_dow=1, start_hod="00:00:00", end_dow=2, end_hod="12:00:00", unlock_price=2)
    assert code(admin_client.put(url, wider, content_type="application/json")) == 0
    monday.refresh_from_db()
    assert (monday.end_hod, monday.unlock_price) == (12 * 3600, Decimal("2"))
    too_wide = rule_body(network, start_dow=1, start_hod="00:00:00", end_dow=3, end_hod="12:00:00")
    response = admin_client.put(url, too_wide, content_type="application/json")
    assert code(response) == -6 and response.json()["message"]["key"] == "pricing.overlap"
    assert code(admin_client.delete(url)) == 0 and not PricingRule.objects.filter(pk=monday.pk).exists()


def test_a_network_admin_cannot_touch_another_networks_rules(client, staff_user, grant_access, network):
    other = make_network()
    theirs = make_rule(network=other)
    grant_access(staff_user, "networks.manage", write=True, where=make_unit(networks=[network]))
    client.force_login(staff_user)
    assert code(client.get(API, {"networks": other.pk})) == -4
    assert code(post(client, rule_body(other))) == -4
    assert code(client.put(f"{API}/{theirs.pk}", rule_body(network), content_type="application/json")) == -5
    assert code(client.delete(f"{API}/{theirs.pk}")) == -5
    mine = make_rule(network=network)
    # Moving one's own rule into another network is refused too.
    assert code(client.put(f"{API}/{mine.pk}", rule_body(other), content_type="application/json")) == -4
    mine.refresh_from_db()
    assert mine.network_id == network.pk and PricingRule.objects.count() == 2


def test_quote_a_trip_in_the_networks_local_time(network):
    network.timezone = "America/New_York"
    network.save()
    # Peak on weekdays 07:00-09:00 New York time, off-peak otherwise.
    make_rule(network=network, start=(1, 7 * 3600), end=(1, 9 * 3600), use_per_minute_price=Decimal("0.50"))
    make_rule(network=network, start=(1, 9 * 3600), end=(1, 7 * 3600), use_per_minute_price=Decimal("0.10"))
    new_york = ZoneInfo("America/New_York")
    start = datetime(2026, 6, 1, 8, 50, tzinfo=new_york)  # a Monday
    quote = quote_trip(network=network, segments=[Segment("use", start, datetime(2026, 6, 1, 9, 10, tzinfo=new_york))])
    assert quote.total == Decimal("1") + 10 * Decimal("0.50") + 10 * Decimal("0.10")


def test_the_admin_refuses_an_overlapping_rule_too(client, superuser, network):
    make_rule(network=network, start=(1, 0), end=(2, 0))
    client.force_login(superuser)
    form = {"network": network.pk, "start_dow": 1, "start_hod": 3600, "end_dow": 1, "end_hod": 7200,
            "unlock_price": "1", "unlock_included_time": 0, "freefloat_lock_price": "0", "use_per_minute_price": "0.1",
            "on_hold_price": "0"}
    response = client.post("/admin/pricing/pricingrule/add/", form)
    assert response.status_code == 200 and "overlaps the pricing rule" in response.content.decode()
    assert PricingRule.objects.count() == 1
    response = client.post("/admin/pricing/pricingrule/add/", {**form, "start_dow": 3, "end_dow": 3})
    assert response.status_code == 302 and PricingRule.objects.count() == 2
