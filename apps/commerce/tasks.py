from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from .models import RiderSubscription
from .subscriptions import subscription_renew


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def renew_subscriptions() -> dict:
    """Renew (or end) the subscriptions whose period ended (every 15 minutes; idempotent: a renewed one is no longer
    due, and the same try of a period finds its payment attempt again)."""
    outcomes: dict[str, int] = {}
    due = RiderSubscription.objects.filter(status__in=[RiderSubscription.Status.ACTIVE,
                                                       RiderSubscription.Status.PAST_DUE],
                                           current_period_end__lte=timezone.now()).order_by("current_period_end", "id")
    for subscription in due.iterator(chunk_size=200):
        outcome = subscription_renew(subscription=subscription)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
