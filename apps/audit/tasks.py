from celery import shared_task
from django.db import OperationalError

from .retention import prune_access_logs


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def prune_old_access_logs() -> int:
    """The nightly retention of the access log (idempotent; retried on database hiccups)."""
    return prune_access_logs()
