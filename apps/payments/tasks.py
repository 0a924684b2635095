from celery import shared_task
from django.db import DatabaseError, transaction

from apps.networks.models import Network

from . import rollups
from .attempts import reconcile_pending


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def fill_income_hours() -> int:
    """Store the settled income hours of every network (periodic; idempotent: a no-op when all are stored)."""
    written = 0
    for network in Network.objects.order_by("pk"):
        with transaction.atomic():
            written += rollups.fill(network)
    return written


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def reconcile_payment_attempts() -> dict:
    """Settle the payment attempts whose provider call went unanswered (periodic; idempotent: an attempt is settled
    once, and one a request is calling the provider for is skipped)."""

    return reconcile_pending()
