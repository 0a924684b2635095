from celery import shared_task
from django.db import DatabaseError

from apps.riders.messaging import MessageProviderUnavailable

from . import sending


@shared_task(autoretry_for=(DatabaseError, MessageProviderUnavailable), retry_backoff=True, retry_backoff_max=600,
             max_retries=20)
def send_newsletter(newsletter_id: int) -> str:
    """Send (or resume sending) a newsletter; idempotent: a rerun sends only what was not handed over yet."""
    return sending.run(newsletter_id)


@shared_task
def send_due_newsletters() -> int:
    """Beat: start the planned newsletters whose hour has come and resume those whose worker died."""
    due = sending.due_newsletters()
    for newsletter_id in due:
        send_newsletter.delay(newsletter_id)
    return len(due)
