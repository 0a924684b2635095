"""A network's pricing rules: what unlocking, riding, pausing and freefloat locking cost, per weekly window."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.models import TimeStampedModel, non_negative

from .engine import Rule, second_of_week

MONEY = {"max_digits": 12, "decimal_places": 4, "validators": [MinValueValidator(0)]}


def format_hod(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def parse_hod(text: str) -> int:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


class PricingRule(TimeStampedModel):
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="pricing_rules")
    start_dow = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)], help_text="0 is Sunday.")
    start_hod = models.PositiveIntegerField(validators=[MaxValueValidator(86_400)],
                                            help_text="Seconds after local midnight (86400 is 24:00:00).")
    end_dow = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    end_hod = models.PositiveIntegerField(validators=[MaxValueValidator(86_400)])
    unlock_price = models.DecimalField(**MONEY)
    unlock_included_time = models.PositiveIntegerField(help_text="Seconds of use included in the unlock price.")
    freefloat_lock_price = models.DecimalField(**MONEY)
    use_per_minute_price = models.DecimalField(**MONEY)
    on_hold_price = models.DecimalField(**MONEY)

    scope_network_path = "network"

    class Meta:
        ordering = ["network", "start_dow", "start_hod", "id"]
        constraints = non_negative("pricing", "unlock_price", "freefloat_lock_price", "use_per_minute_price",
                                   "on_hold_price")

    def __str__(self):
        return f"{self.network}: day {self.start_dow} {format_hod(self.start_hod)} to day {self.end_dow} {format_hod(self.end_hod)}"

    @property
    def window(self) -> tuple[int, int]:
        return second_of_week(self.start_dow, self.start_hod), second_of_week(self.end_dow, self.end_hod)

    def as_rule(self) -> Rule:
        start, end = self.window
        return Rule(id=self.pk, start=start, end=end, unlock_price=self.unlock_price,
                    unlock_included_time=self.unlock_included_time, freefloat_lock_price=self.freefloat_lock_price,
                    use_per_minute_price=self.use_per_minute_price, on_hold_price=self.on_hold_price)
