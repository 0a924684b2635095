from celery import shared_task
from django.db import DatabaseError, transaction
from django.utils import timezone

from .messaging import MessageProviderUnavailable, MessageRefused, provider_for
from .models import RiderMessage


@shared_task(autoretry_for=(DatabaseError, MessageProviderUnavailable), retry_backoff=True, max_retries=5)
def send_rider_message(message_id: int) -> str:
    """Send a queued message once: the row is locked and only a queued message is sent, so a retried or duplicated
    task never sends twice (the provider call happens before the commit that marks it sent; a crash in between is
    the one case that can repeat a message, as with any provider without idempotency keys)."""
    with transaction.atomic():
        message = (RiderMessage.objects.select_for_update(of=("self",)).select_related("rider")
                   .filter(pk=message_id, status=RiderMessage.Status.QUEUED).first())
        if message is None:
            return "nothing to send"
        try:
            provider = provider_for(message.channel)
            extra = {"message": message} if message.channel == RiderMessage.Channel.EMAIL else {}
            reference = provider.send(rider=message.rider, subject=message.subject, body=message.body, **extra)
        except MessageRefused as exc:
            message.status, message.error = RiderMessage.Status.FAILED, str(exc)[:500]
        else:
            message.status, message.provider_message_id = RiderMessage.Status.SENT, reference[:255]
            message.sent_at = timezone.now()
        message.save(update_fields=["status", "error", "provider_message_id", "sent_at", "updated_at"])
        return message.status


@shared_task(autoretry_for=(DatabaseError, MessageProviderUnavailable), retry_backoff=True, max_retries=5)
def send_rider_messages(message_ids: list[int]) -> int:
    """Send a batch of queued messages (a mass notification); each is sent once, as `send_rider_message` does."""
    return sum(send_rider_message.run(message_id) == RiderMessage.Status.SENT for message_id in message_ids)
