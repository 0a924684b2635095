"""Writes on pricing rules, and the price of a trip under them."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction

from apps.core.exceptions import BusinessRuleViolation
from apps.networks.models import Network

from .engine import Quote, Segment, price_trip, windows_overlap
from .models import PricingRule, parse_hod


def require_no_overlap(rule: PricingRule) -> None:
    for other in PricingRule.objects.filter(network_id=rule.network_id).exclude(pk=rule.pk):
        if windows_overlap(rule.window, other.window):
            raise BusinessRuleViolation("pricing.overlap",
                                        f"This window overlaps the pricing rule {other.pk} of the network.")


def _apply(rule: PricingRule, *, start_dow: int, start_hod: str, end_dow: int, end_hod: str, unlock_price,
           unlock_included_time: int, freefloat_lock_price, use_per_minute_price, on_hold_price) -> PricingRule:
    rule.start_dow, rule.start_hod = start_dow, parse_hod(start_hod)
    rule.end_dow, rule.end_hod = end_dow, parse_hod(end_hod)
    rule.unlock_price, rule.unlock_included_time = unlock_price, unlock_included_time
    rule.freefloat_lock_price, rule.use_per_minute_price, rule.on_hold_price = (
        freefloat_lock_price, use_per_minute_price, on_hold_price)
    require_no_overlap(rule)
    rule.save()
    return rule


@transaction.atomic
def pricing_create(*, network: Network, **window_and_prices) -> PricingRule:
    """A rule of `network` (the window and prices are `_apply`'s named parameters)."""
    # The network row lock makes concurrent writers of one network's rules take turns, so the overlap check holds.
    Network.objects.select_for_update().get(pk=network.pk)
    return _apply(PricingRule(network=network), **window_and_prices)


@transaction.atomic
def pricing_update(*, rule: PricingRule, network: Network, **window_and_prices) -> PricingRule:
    """Rewrite a rule, possibly moving it to another network (both networks are locked)."""
    list(Network.objects.select_for_update().filter(pk__in=[rule.network_id, network.pk]).order_by("pk"))
    rule = PricingRule.objects.get(pk=rule.pk)
    rule.network = network
    return _apply(rule, **window_and_prices)


def pricing_delete(*, rule: PricingRule) -> None:
    rule.delete()


def quote_trip(*, network: Network, segments: list[Segment], freefloat_lock: bool = False) -> Quote:
    """The price of a trip under the network's rules (amounts exact; round with network.currency.quantize)."""
    rules = [r.as_rule() for r in PricingRule.objects.filter(network=network)]
    return price_trip(rules=rules, tz=ZoneInfo(network.timezone), segments=segments, freefloat_lock=freefloat_lock)
