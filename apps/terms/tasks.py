from celery import shared_task
from django.db import DatabaseError

from .services import notify_batch


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=10)
def notify_terms(terms_id: int) -> int:
    """Notify every concerned rider of a published version, batch after batch. Each batch commits on its own, so a
    worker killed halfway loses at most the batch under way; running the task again resumes where it stopped and
    never notifies a rider twice (one notification row per rider and version)."""
    notified = 0
    while True:
        done = notify_batch(terms_id=terms_id)
        if not done:
            return notified
        notified += done
