import itertools
from datetime import datetime, timedelta, timezone as dt_timezone

from django.utils import timezone
from rest_framework.test import APIClient

from apps.fleet.tests.factories import make_vehicle
from apps.telemetry.models import TelemetryDevice, TelemetryProvider

_seq = itertools.count(1)
LYON = (45.7640, 4.8357)
URL = "/api/telemetry/v1/messages"


def make_provider(name: str | None = None) -> tuple[TelemetryProvider, str]:
    token, key_hash = TelemetryProvider.new_token()
    return TelemetryProvider.objects.create(name=name or f"IoT {next(_seq)}", key_hash=key_hash), token


def fitted_vehicle(provider, *, device_id: str | None = None, **fields):
    vehicle = make_vehicle(**fields)
    TelemetryDevice.objects.create(provider=provider, vehicle=vehicle, device_id=device_id or vehicle.serial_number)
    return vehicle


def at(seconds_ago: float = 0) -> str:
    return (timezone.now() - timedelta(seconds=seconds_ago)).isoformat()


def message(vehicle, *, seconds_ago: float = 0, position=LYON, **values) -> dict:
    values.setdefault("id", f"m{next(_seq)}")
    body = {"vehicle": vehicle if isinstance(vehicle, str) else vehicle.telemetry_device.device_id,
            "time": at(seconds_ago), **values}
    if position is not None:
        body["latitude"], body["longitude"] = position
    return body


def report(token: str, *messages, body=None, raw: bytes | None = None, url: str = URL):
    """POST a batch (the messages, or a whole `body`, or `raw` bytes) with the provider's token."""
    client = APIClient()
    if raw is not None:
        return client.generic("POST", url, raw, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.post(url, body if body is not None else {"messages": list(messages)}, format="json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


def meters_north(point, meters: float):
    return point[0] + meters / 111_195, point[1]


def utc(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=dt_timezone.utc)
