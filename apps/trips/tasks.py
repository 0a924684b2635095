from datetime import date

from celery import shared_task
from django.db import DatabaseError

from apps.core.exceptions import BusinessRuleViolation
from apps.networks.models import Network
from apps.payments.attempts import PaymentPending
from apps.payments.models import BankGuarantee
from apps.payments.services import guarantee_release

from . import rollups


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def refresh_trip_days(network_id: int, days: list[str]) -> int:
    """Recompute the stored summaries of some days of a network (idempotent; retried on database hiccups)."""
    network = Network.objects.filter(pk=network_id).first()
    if network is None:
        return 0
    return rollups.store_days(network, [date.fromisoformat(day) for day in days])


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def fill_trip_days() -> int:
    """Store every settled day not stored yet, of every network (periodic; a no-op when all are there)."""
    return sum(rollups.fill(network) for network in Network.objects.order_by("pk"))


@shared_task(autoretry_for=(DatabaseError, PaymentPending, BusinessRuleViolation), retry_backoff=True, max_retries=8)
def release_hold(guarantee_id: int) -> str:
    """Give back a hold no trip uses (apps.trips.lifecycle.release_orphan_hold): once, whatever the retries (the
    release is one payment attempt per hold); retried while the provider is silent or unreachable."""

    guarantee = BankGuarantee.objects.filter(pk=guarantee_id, released_at__isnull=True).first()
    if guarantee is None:
        return "nothing to release"
    guarantee_release(guarantee=guarantee)
    return "released"


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def retry_unpaid_ends() -> dict:
    """Take again the payments the provider could not take at the trips' end (every 5 minutes; idempotent)."""
    # at call time: a load-time import here closes a cycle through apps.trips.lifecycle.
    from .lifecycle import retry_unpaid_ends as retry

    return retry()
