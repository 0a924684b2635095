import datetime
import itertools
from decimal import Decimal

from apps.discounts.models import Discount, DiscountCode
from apps.networks.tests.factories import make_network

_seq = itertools.count(1)


def make_discount(*, network=None, **fields) -> Discount:
    fields.setdefault("name", f"Promo {next(_seq)}")
    fields.setdefault("type", Discount.Type.TRIPS_PERCENT)
    fields.setdefault("data", Decimal("20"))
    fields.setdefault("start_date", datetime.date(2026, 1, 1))
    return Discount.objects.create(network=network or make_network(), **fields)


def make_code(*, discount=None, **fields) -> DiscountCode:
    fields.setdefault("code", f"CODE-{next(_seq)}")
    fields.setdefault("remaining", -1)
    fields.setdefault("email_access_pattern", "%")
    return DiscountCode.objects.create(discount=discount or make_discount(), **fields)
