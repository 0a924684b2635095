from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from apps.riders.messaging import MessageProviderUnavailable

from . import sending


@shared_task(autoretry_for=(DatabaseError, MessageProviderUnavailable), retry_backoff=True, retry_backoff_max=600,
             max_retries=20)
def send_newsletter(newsletter_id: int, shard: int = 0, shards: int = 1) -> str:
    """Send (or resume sending) one shard of a newsletter; idempotent: a rerun sends only what is still queued."""
    return sending.run(newsletter_id, shard=shard, shards=shards)


def dispatch(newsletter_id: int) -> None:
    """Start every shard of the newsletter's send job (NEWSLETTER_SEND_SHARDS parallel runners)."""
    shards = min(settings.NEWSLETTER_SEND_SHARDS, sending.MAX_SHARDS)
    for shard in range(shards):
        send_newsletter.delay(newsletter_id, shard, shards)


@shared_task
def send_due_newsletters() -> int:
    """Beat: start the planned newsletters whose hour has come and resume those whose worker died."""
    due = sending.due_newsletters()
    for newsletter_id in due:
        dispatch(newsletter_id)
    return len(due)
