"""Income statistics in the requested time zone and currency (Transactions tag).

The paid transactions of the period are aggregated in SQL by local day, source currency and product kind (at most
days x currencies x kinds rows, whatever the number of transactions), from the stored hours where they are stored
(apps.payments.rollups) and from the transactions after; each group is then converted with the exchange rate of
its day (apps.payments.rates), and the rates used are returned with the figures. Refunds count on the day of the
payment they refund (what that day's sales finally brought in).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from apps.core.timezones import local_day_bounds

from . import rates, rollups

ZERO = Decimal(0)
FIGURES = ("amount_w_vat", "amount", "refunded_amount", "payment_provider_fee")


@dataclass
class Totals:
    transaction_count: int = 0
    amount_w_vat: Decimal = ZERO
    amount: Decimal = ZERO
    refunded_amount: Decimal = ZERO
    payment_provider_fee: Decimal = ZERO

    def merge(self, other: "Totals") -> None:
        self.add(other.transaction_count, {name: getattr(other, name) for name in FIGURES})

    def add(self, count: int, converted: dict) -> None:
        self.transaction_count += count
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + converted[name])

    def rounded(self, currency) -> dict:
        values = {name: currency.quantize(getattr(self, name)) for name in FIGURES}
        values["vat"] = values["amount_w_vat"] - values["amount"]
        values["net_amount"] = values["amount_w_vat"] - values["refunded_amount"] - values["payment_provider_fee"]
        return {"transaction_count": self.transaction_count, **values}


@dataclass
class Grouped:
    by_day: dict = field(default_factory=lambda: defaultdict(Totals))
    by_kind: dict = field(default_factory=lambda: defaultdict(Totals))
    total: Totals = field(default_factory=Totals)
    rates_used: dict = field(default_factory=dict)


def income(transactions: QuerySet, scope, *, start: date, end: date, tz: ZoneInfo, currency,
           provider=None) -> Grouped:
    low, high = local_day_bounds(start, end, tz)
    rows = rollups.income_rows(transactions, scope, low=low, high=high, tz=tz, provider=provider)
    needed = {(row["currency_id"], row["day"]) for row in rows}
    table = rates.rates_on(needed, currency.code)
    grouped = Grouped()
    for row in rows:
        rate = table[(row["currency_id"], row["day"])]
        converted = {name: row[name] * rate for name in FIGURES}
        grouped.by_day[row["day"]].add(row["n"], converted)
        grouped.by_kind[row["kind"]].add(row["n"], converted)
        grouped.total.add(row["n"], converted)
        if row["currency_id"] != currency.code:
            grouped.rates_used[(row["currency_id"], row["day"])] = rate
    return grouped


def by_day_of_week(grouped: Grouped) -> dict[int, Totals]:
    """The days' totals per ISO day of week (1 Monday ... 7 Sunday), every day present."""
    totals = {n: Totals() for n in range(1, 8)}
    for day, figures in grouped.by_day.items():
        totals[day.isoweekday()].merge(figures)
    return totals


def rates_list(grouped: Grouped, target: str) -> list[dict]:
    return [{"date": day, "from_currency": source, "to_currency": target, "rate": rate}
            for (source, day), rate in sorted(grouped.rates_used.items(), key=lambda item: (item[0][1], item[0][0]))]
