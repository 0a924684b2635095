from decimal import Decimal

from .models import PricingRule


def seed(ctx):
    """Weekday daytime prices and cheaper nights and weekends (one window wrapping over Sunday), per network."""
    for network in ctx.made["networks"].values():
        if PricingRule.objects.filter(network=network).exists():
            continue
        PricingRule.objects.bulk_create([
            PricingRule(network=network, start_dow=1, start_hod=6 * 3600, end_dow=5, end_hod=22 * 3600,
                        unlock_price=Decimal("1.00"), unlock_included_time=300, freefloat_lock_price=Decimal("0.50"),
                        use_per_minute_price=Decimal("0.15"), on_hold_price=Decimal("0.05")),
            PricingRule(network=network, start_dow=5, start_hod=22 * 3600, end_dow=1, end_hod=6 * 3600,
                        unlock_price=Decimal("1.00"), unlock_included_time=600, freefloat_lock_price=Decimal("1.00"),
                        use_per_minute_price=Decimal("0.10"), on_hold_price=Decimal("0.03")),
        ])
    ctx.log(f"pricing: {PricingRule.objects.count()} rules")
