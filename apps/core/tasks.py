from celery import shared_task
from django.db import OperationalError

from .api.idempotency import prune


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def run_admin_export(export_id: int) -> str:
    """Write an AdminExport's file (idempotent: a finished export is left alone; a retried one starts over)."""
    # at call time: a load-time import here closes a cycle through apps.core.admin_exports.
    from .admin_exports import run_export

    return run_export(export_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def prune_idempotency_records() -> int:
    """Forget Idempotency-Key answers past IDEMPOTENCY_RETENTION_DAYS (periodic; idempotent)."""

    return prune()
