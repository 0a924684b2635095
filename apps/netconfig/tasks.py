from celery import shared_task
from django.db import DatabaseError

from apps.fleet.iot import IotUnavailable

from . import services


@shared_task(autoretry_for=(IotUnavailable, DatabaseError), retry_backoff=True, max_retries=8)
def push_vehicle_settings(push_id: int) -> int:
    """Send a network's settings to its vehicles (resetNetworkVehicleSettings); each command is sent once."""
    return services.vehicle_settings_push_run(push_id=push_id)
