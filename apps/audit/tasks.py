from celery import shared_task
from django.db import OperationalError

from .partitions import ensure_partitions
from .retention import prune_access_logs


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def prune_old_access_logs() -> int:
    """The nightly upkeep of the access log: next months' partitions created ahead, rows past their retention
    dropped (idempotent; retried on database hiccups)."""
    ensure_partitions()
    return prune_access_logs()
