from celery import shared_task
from django.db import DatabaseError

from . import history, rules


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def raise_offline_alerts() -> int:
    """Offline alerts for the vehicles silent past their network's threshold (periodic; each raised once)."""
    return rules.raise_offline_alerts()


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def keep_telemetry_history() -> dict:
    """The coming days' partitions created, the days past the retention dropped (periodic, idempotent)."""
    return history.keep_history()
