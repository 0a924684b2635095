"""Exchange rates as data: the ECB's daily reference rates (how many units of a currency one euro buys), loaded
by `./fleet manage load_exchange_rates FILE` from the ECB's published CSV format and editable in the admin. An
amount is converted at the rate of its own day: the latest published on or before that day."""
from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction

from apps.core.exceptions import BusinessRuleViolation
from apps.reference.models import Currency

from .models import ExchangeRate

EUR = "EUR"


def rates_on(pairs: set[tuple[str, date]], target: str) -> dict[tuple[str, date], Decimal]:
    """For each (source currency, day): the factor that converts an amount of the source into `target` on that
    day, in one query (a LATERAL lookup of the latest rate on or before the day, per pair)."""
    needed = {(code, day) for code, day in pairs if code != target}
    factors = {(code, day): Decimal(1) for code, day in pairs if code == target}
    if not needed:
        return factors
    lookups = sorted({(code, day) for code, day in needed if code != EUR} | {(target, day) for _, day in needed
                                                                            if target != EUR})
    found = {}
    if lookups:
        table = ExchangeRate._meta.db_table
        values = ", ".join(["(%s, %s::date)"] * len(lookups))
        with connection.cursor() as cursor:
            cursor.execute(f"""
                SELECT wanted.code, wanted.day, latest.rate FROM (VALUES {values}) AS wanted(code, day)
                LEFT JOIN LATERAL (SELECT rate FROM {table} r WHERE r.currency_id = wanted.code AND r.date <= wanted.day
                                   ORDER BY r.date DESC LIMIT 1) latest ON true""",
                           [item for pair in lookups for item in pair])
            found = {(code, day): rate for code, day, rate in cursor.fetchall()}
    missing = sorted({key for key, rate in found.items() if rate is None})
    if missing:
        code, day = missing[0]
        raise BusinessRuleViolation("exchange_rate.missing",
                                    f"No exchange rate for {code} on or before {day}; load the rates first.")
    for code, day in needed:
        to_eur = Decimal(1) if code == EUR else 1 / found[(code, day)]
        from_eur = Decimal(1) if target == EUR else found[(target, day)]
        factors[(code, day)] = to_eur * from_eur
    return factors


def convert(amount: Decimal, source: str, day: date, target: str) -> Decimal:
    return amount * rates_on({(source, day)}, target)[(source, day)]


@transaction.atomic
def load_ecb_csv(path) -> int:
    """Load the ECB's CSV (a `Date` column, then one column per currency code: units per euro; `N/A` when not
    published). Existing days are replaced; returns how many rates were stored."""

    known = set(Currency.objects.values_list("code", flat=True))
    rows = []
    with open(path, newline="") as handle:
        for record in csv.DictReader(handle):
            day = date.fromisoformat(record.pop("Date").strip())
            for code, value in record.items():
                code, value = (code or "").strip(), (value or "").strip()
                if code not in known or not value or value == "N/A":
                    continue
                try:
                    rate = Decimal(value)
                except InvalidOperation:
                    continue
                if rate > 0:
                    rows.append(ExchangeRate(currency_id=code, date=day, rate=rate))
    ExchangeRate.objects.bulk_create(rows, update_conflicts=True, unique_fields=["currency", "date"],
                                     update_fields=["rate"])
    return len(rows)
