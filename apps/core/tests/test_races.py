"""Two writes racing on one rule: the rule holds (one wins, the other gets the rule's error), real PostgreSQL."""
import pytest
from django.contrib.auth import get_user_model

from apps.core.testing.clients import client_for
from apps.core.testing.concurrency import at_once
from apps.core.testing.responses import error_key
from apps.networks.models import OutOfOrder
from apps.networks.tests.factories import make_network
from apps.pricing.models import PricingRule
from apps.pricing.tests.factories import rule_body

API = "/api/dashboard/v1"
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def root():
    return get_user_model().objects.create_superuser(email="racer@example.com", password="x")


def test_two_overlapping_pricing_windows_at_once_store_one(root):
    network = make_network()
    monday = rule_body(network, start_dow=1, start_hod="08:00:00", end_dow=1, end_hod="12:00:00")
    late_monday = rule_body(network, start_dow=1, start_hod="10:00:00", end_dow=1, end_hod="14:00:00")
    answers = at_once(*[lambda body=body: client_for(root).post(f"{API}/pricing", body, format="json")
                        for body in (monday, late_monday)])
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert [error_key(a) for a in answers if a.status_code == 409] == ["pricing.overlap"]
    assert PricingRule.objects.filter(network=network).count() == 1


def test_two_overlapping_out_of_orders_at_once_store_one(root):
    network = make_network()

    def close(start, end):
        body = {"type": "winter", "reason": "Snow", "start_date": start, "end_date": end}
        return lambda: client_for(root).post(f"{API}/networks/{network.pk}/out-of-orders", body, format="json")

    answers = at_once(close("2026-12-01T00:00:00Z", "2027-02-01T00:00:00Z"),
                      close("2027-01-01T00:00:00Z", "2027-03-01T00:00:00Z"))
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert [error_key(a) for a in answers if a.status_code == 409] == ["out_of_order.overlap"]
    assert OutOfOrder.objects.filter(network=network).count() == 1
