"""Demo exchange rates: 400 days of daily reference rates around real levels, written in the ECB's CSV format and
loaded through the same loader as the real file (`./fleet manage load_exchange_rates`)."""
import csv
import tempfile
from datetime import timedelta

from django.utils import timezone

from .models import ExchangeRate
from .rates import load_ecb_csv

LEVELS = {"USD": 1.08, "CAD": 1.47, "GBP": 0.85, "CHF": 0.95, "JPY": 160.0, "SEK": 11.4, "PLN": 4.3}


def seed(ctx):
    if ExchangeRate.objects.exists():
        return
    today = timezone.now().date()
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", delete=True) as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", *LEVELS])
        for back in range(400, -1, -1):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:
                continue  # the ECB publishes on working days; weekends use Friday's rate
            writer.writerow([day.isoformat(), *[f"{level * (1 + ctx.rng.uniform(-0.03, 0.03)):.4f}"
                                                for level in LEVELS.values()]])
        handle.flush()
        stored = load_ecb_csv(handle.name)
    ctx.log(f"payments: {stored} exchange rates")
