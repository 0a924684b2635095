"""Money in the admin's change lists: an amount is shown in its row's currency, rounded to that currency's minor
units ("12.50 EUR", "1200 JPY"), not as the column's four stored decimals with no unit. Exports keep the number
(apps.core.exports reads the field behind the column), so a spreadsheet can still add them up.

Amounts are the DecimalFields with four decimals and at least 12 digits (ratios have 5 digits, exchange rates 8
decimals). A row's currency is its own `currency`, else its network's; an admin names another path with
`currency_path` (a refund's transaction's currency). apps.core.tests.test_admin_money checks every registered
change list has one for each amount it shows.
"""
from __future__ import annotations

from operator import attrgetter

from django.db import models
from django.utils.text import capfirst

from apps.core.money import money_text


def is_money(field) -> bool:
    return isinstance(field, models.DecimalField) and field.decimal_places == 4 and field.max_digits >= 12


def currency_path_of(model, declared: str | None) -> str | None:
    """The dotted path from a row to its currency code, or None when the row has none."""
    if declared:
        return declared
    names = {field.name for field in model._meta.concrete_fields}
    if "currency" in names:
        return "currency_id"
    if "network" in names:
        return "network.currency_id"
    return None


class MoneyColumn:
    """A change-list column showing `field` of each row in the row's currency."""

    def __init__(self, field, currency_path: str):
        self.field, self.currency_path = field, currency_path
        self.__name__ = field.name
        self.short_description = capfirst(field.verbose_name)
        self.admin_order_field = field.name
        self.empty_value_display = "-"

    @property
    def relations(self) -> list[str]:
        """The joins the currency needs (`network` for network.currency_id), for `list_select_related`."""
        parts = self.currency_path.split(".")[:-1]
        return ["__".join(parts)] if parts else []

    def __call__(self, obj) -> str | None:
        value = getattr(obj, self.field.name)
        if value is None:
            return None
        return money_text(value, attrgetter(self.currency_path)(obj))


def money_columns(model, names, currency_path: str | None) -> list:
    """`names` (a list_display) with each amount field replaced by its MoneyColumn, when the row has a currency."""
    path = currency_path_of(model, currency_path)
    fields = {field.name: field for field in model._meta.concrete_fields}
    return [MoneyColumn(fields[name], path) if isinstance(name, str) and name in fields and is_money(fields[name])
            and path else name for name in names]
