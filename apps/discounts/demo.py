import datetime
from decimal import Decimal

from .models import Discount, DiscountCode


def seed(ctx):
    """Per network: a welcome coupon (1.00 off a trip), happy hours (20 % off trips 10:00-16:00) and a credit offer."""
    for network in ctx.made["networks"].values():
        if Discount.objects.filter(network=network).exists():
            continue
        start = datetime.date(datetime.date.today().year - 1, 1, 1)
        welcome = Discount.objects.create(network=network, name="Welcome", type=Discount.Type.NEXT_TRIP,
                                          data=Decimal("1.00"), start_date=start, cumulative=True)
        happy = Discount.objects.create(network=network, name="Happy hours", type=Discount.Type.TRIPS_PERCENT,
                                        data=Decimal("20"), start_date=start, valid_from_time=datetime.time(10),
                                        valid_until_time=datetime.time(16))
        credits = Discount.objects.create(network=network, name="Winter credits", type=Discount.Type.CREDITS,
                                          data=Decimal("5"), start_date=start, request_end_date=start.replace(month=3))
        DiscountCode.objects.bulk_create([
            DiscountCode(discount=welcome, code=f"WELCOME-{network.pk}", remaining=-1),
            DiscountCode(discount=happy, code=f"HAPPY-{network.pk}", remaining=500),
            DiscountCode(discount=credits, code=f"SNOW-{network.pk}", remaining=100, email_access_pattern="%@riders.demo"),
        ])
    ctx.log(f"discounts: {Discount.objects.count()} discounts, {DiscountCode.objects.count()} codes")
