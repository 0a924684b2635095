from datetime import date

from celery import shared_task
from django.db import DatabaseError

from apps.networks.models import Network

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
