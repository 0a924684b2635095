from celery import shared_task
from django.db import DatabaseError

from apps.riders.messaging import MessageProviderUnavailable

from .delivery import (MAX_ATTEMPTS, due_settings, notification_check, notification_digest_send,
                       stalled_digests)


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def check_notification_settings() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): check each setting whose interval has passed, and hand the digests a
    worker left unsent to a new try. Each check commits on its own; a check run twice finds its window gone."""
    digests = 0
    for setting_id in due_settings():
        digests += notification_check(setting_id=setting_id) is not None
    for digest_id in stalled_digests():
        send_notification_digest.delay(digest_id)
    return digests


@shared_task(autoretry_for=(DatabaseError, MessageProviderUnavailable), retry_backoff=True, retry_backoff_max=600,
             max_retries=MAX_ATTEMPTS)
def send_notification_digest(digest_id: int) -> str | None:
    """Mail one digest to whom it has not reached yet (apps.notifications.delivery)."""
    return notification_digest_send(digest_id=digest_id)
