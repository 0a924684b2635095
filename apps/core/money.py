"""An amount as people read it: rounded to its currency's minor units, with the currency ("12.50 EUR")."""
from decimal import Decimal


class _MinorUnits(dict):
    """Digits after the decimal point per currency code, read once per process (ISO 4217 does not change them);
    a code not yet read is looked up with the rest."""

    def __missing__(self, code: str) -> int:
        # core knows no domain app at load time; reference is looked up when called.
        from apps.reference.models import Currency

        self.update(Currency.objects.values_list("code", "minor_units"))
        return self.setdefault(code, 2)


MINOR_UNITS = _MinorUnits()


def money_text(amount: Decimal, currency_code: str) -> str:
    return f"{amount.quantize(Decimal(1).scaleb(-MINOR_UNITS[currency_code]))} {currency_code}"
