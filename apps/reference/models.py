"""ISO reference data: countries (ISO 3166-1, from pycountry) and currencies (ISO 4217 codes of the contract,
names and minor units from Babel's CLDR data). Time zones are IANA names validated against the contract's
list (docs/api/enums.json) and zoneinfo; they need no table."""
from decimal import ROUND_HALF_UP, Decimal

from django.db import models


class Country(models.Model):
    alpha_2 = models.CharField(max_length=2, unique=True)
    alpha_3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3)
    name = models.CharField(max_length=128)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return f"{self.name} ({self.alpha_2})"


class Currency(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=128)
    minor_units = models.PositiveSmallIntegerField(help_text="Digits after the decimal point (2 for EUR, 0 for JPY).")

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self):
        return self.code

    def quantize(self, amount: Decimal) -> Decimal:
        """Round an amount to this currency's precision, half up (Saleor's rule)."""
        return amount.quantize(Decimal(1).scaleb(-self.minor_units), rounding=ROUND_HALF_UP)
