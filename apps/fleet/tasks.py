from celery import shared_task
from django.db import DatabaseError

from . import commands
from .iot import IotUnavailable


@shared_task(autoretry_for=(IotUnavailable, DatabaseError), retry_backoff=2, retry_backoff_max=60, max_retries=10)
def deliver_iot_command(command_id: int) -> str:
    """Send a pending command's next attempt (idempotent: a command no longer pending is left alone); retried while
    the provider cannot be reached and the command has attempts left."""
    return commands.command_deliver(command_id=command_id).status


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def expire_iot_commands() -> int:
    """Sent commands past their deadline: sent again, or timed out (periodic)."""
    return commands.commands_expire()
