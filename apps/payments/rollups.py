"""Stored hourly income (IncomeHour), so a year of income statistics reads tens of thousands of rows, not millions.

- `fill(network)` stores the hours that settled (`INCOME_STATS_SETTLE_HOURS` ago) since the last run: one
  INSERT ... SELECT ... GROUP BY; the beat runs it every 15 minutes (a no-op when nothing settled).
- A payment written into a stored hour (backdated) or refunded later recomputes that hour in the same transaction
  (`refresh_hour`, called by the services and a post_save signal), so the stored rows are always exact.
- `income_rows` answers from the stored hours before each network's `until` and from the transactions after it;
  time zones with a non-whole-hour offset (India, Nepal...) read the transactions only.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import IncomeHour, IncomeStoredUntil, Transaction

FIGURES = ("amount_w_vat", "amount", "refunded_amount", "payment_provider_fee")
_GROUPED = """
    SELECT network_id, date_trunc('hour', date) AS hour, currency_id, kind, count(*),
           sum(amount_w_vat), sum(amount), sum(refunded_amount), sum(payment_provider_fee)
    FROM payments_transaction WHERE status = 'paid' AND network_id = %s AND date >= %s AND date < %s
    GROUP BY 1, 2, 3, 4"""
_INSERT = """INSERT INTO payments_incomehour (network_id, hour, currency_id, kind,
             transaction_count, amount_w_vat, amount, refunded_amount, payment_provider_fee) """


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def fill(network, now: datetime | None = None) -> int:
    """Store the settled hours not stored yet; returns how many rows were written."""
    now = now or timezone.now()
    cutoff = _hour(now - timedelta(hours=settings.INCOME_STATS_SETTLE_HOURS))
    stored = IncomeStoredUntil.objects.select_for_update().filter(network=network).first()
    start = stored.until if stored else datetime(1970, 1, 1, tzinfo=UTC)
    if start >= cutoff:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_INSERT + _GROUPED, [network.pk, start, cutoff])
        written = cursor.rowcount
    IncomeStoredUntil.objects.update_or_create(network=network, defaults={"until": cutoff})
    return written


def refresh_hour(network_id: int, moment: datetime) -> None:
    """Recompute one stored hour from the transactions (a backdated payment, a later refund)."""
    stored = IncomeStoredUntil.objects.filter(network_id=network_id).values_list("until", flat=True).first()
    hour = _hour(moment)
    if stored is None or hour >= stored:
        return  # not stored: the statistics read the transactions
    IncomeHour.objects.filter(network_id=network_id, hour=hour).delete()
    with connection.cursor() as cursor:
        cursor.execute(_INSERT + _GROUPED, [network_id, hour, hour + timedelta(hours=1)])


def whole_hour_offsets(tz, low: datetime, high: datetime) -> bool:
    """Whether `tz` is a whole number of hours from UTC over the period (checked at each end and every 30 days)."""
    moment = low
    while moment <= high:
        if moment.astimezone(tz).utcoffset().total_seconds() % 3600:
            return False
        moment += timedelta(days=30)
    return not high.astimezone(tz).utcoffset().total_seconds() % 3600


def income_rows(transactions: QuerySet, scope, *, low, high, tz, provider=None) -> list[dict]:
    """(local day, currency, kind) groups of the paid transactions in [low, high), with their count and sums."""
    paid = transactions.filter(status=Transaction.Status.PAID, date__gte=low, date__lt=high)
    if provider:
        paid = paid.filter(payment_provider=provider)
    # The stored hours have no provider dimension (it would multiply their rows): a provider filter reads the
    # transactions, as do time zones whose days are not whole hours.
    if provider or not (settings.INCOME_STATS_ROLLUPS and whole_hour_offsets(tz, low, high)):
        return _grouped(paid, "date", "n", tz)
    # Per network, a date range each side of its `until` (a join to `until` would keep PostgreSQL from the
    # (network, date) index and scan the whole period's transactions).
    stored = dict(IncomeStoredUntil.objects.filter(until__gt=low).values_list("network_id", "until"))
    after = Q(date__gte=low) & ~Q(network_id__in=list(stored))
    for network_id, until in stored.items():
        after |= Q(network_id=network_id, date__gte=until)
    live = _grouped(paid.filter(after), "date", "n", tz)
    before = Q(pk__in=[])
    for network_id, until in stored.items():
        before |= Q(network_id=network_id, hour__lt=until)
    hours = IncomeHour.objects.within(scope).filter(before, hour__gte=low, hour__lt=high)
    return live + _grouped(hours, "hour", "transaction_count", tz)


def _grouped(rows: QuerySet, moment: str, count: str, tz) -> list[dict]:
    aggregate = Count("id") if count == "n" else Sum(count)
    return list(rows.annotate(day=TruncDate(moment, tzinfo=tz)).values("day", "currency_id", "kind")
                .annotate(n=aggregate, **{name: Sum(name) for name in FIGURES}).order_by())
