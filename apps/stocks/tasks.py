from celery import shared_task
from django.db import DatabaseError

from . import services


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def apply_auto_stock(stock_id: int) -> tuple[int, int]:
    """Stock the vehicles inside a stock's auto-stock area (idempotent; retried on database hiccups)."""
    return services.auto_stock_apply(stock_id=stock_id)
