from decimal import Decimal

from apps.networks.tests.factories import make_network
from apps.pricing.models import PricingRule


def rule_body(network, **overrides) -> dict:
    """A whole-week rule by default (Sunday 00:00 to Saturday 24:00)."""
    body = {"start_dow": 0, "start_hod": "00:00:00", "end_dow": 6, "end_hod": "24:00:00", "unlock_price": 1,
            "unlock_included_time": 0, "freefloat_lock_price": 0.5, "use_per_minute_price": 0.15,
            "on_hold_price": 0.05, "network_id": network.pk}
    return {**body, **overrides}


def make_rule(*, network=None, start=(0, 0), end=(6, 86_400), **prices) -> PricingRule:
    prices = {"unlock_price": Decimal("1"), "unlock_included_time": 0, "freefloat_lock_price": Decimal("0.5"),
              "use_per_minute_price": Decimal("0.15"), "on_hold_price": Decimal("0.05"), **prices}
    return PricingRule.objects.create(network=network or make_network(), start_dow=start[0], start_hod=start[1],
                                      end_dow=end[0], end_hod=end[1], **prices)
