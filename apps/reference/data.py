"""Where reference rows come from; used by the data migration and by `sync_reference_data`."""
import pycountry
from babel.numbers import get_currency_name, get_currency_precision

from apps.core.enums import CURRENCIES, TIMEZONES


def country_rows() -> list[dict]:
    return [
        {"alpha_2": c.alpha_2, "alpha_3": c.alpha_3, "numeric": c.numeric, "name": getattr(c, "common_name", c.name)}
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_2)
    ]


def currency_rows() -> list[dict]:
    return [
        {"code": code, "name": get_currency_name(code, locale="en"), "minor_units": get_currency_precision(code)}
        for code in CURRENCIES
    ]


def timezones() -> list[str]:
    return list(TIMEZONES)
