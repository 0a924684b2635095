from celery import shared_task
from django.db import DatabaseError

from . import services


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def revoke_due_memberships() -> int:
    """End the memberships whose `revoke_at` came (daily; idempotent)."""
    return services.revoke_due_memberships()
