"""The IoT provider interface: how fleetadmin talks to vehicles (locks, settings).

`IOT_PROVIDER` names the implementation. The `local` provider records each command in `IotCommand`, so tests
and the demo can see what would have been sent; a vendor's provider implements `send` over its API and raises
`IotUnavailable` on transient failures (the calling task retries).
"""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


class IotUnavailable(Exception):
    """The provider could not be reached; retry later."""


class LocalIotProvider:
    def send(self, *, vehicle, command: str, payload: dict, idempotency_key: str) -> None:
        from .models import IotCommand

        IotCommand.objects.get_or_create(idempotency_key=idempotency_key,
                                         defaults={"vehicle": vehicle, "network_id": vehicle.network_id,
                                                   "command": command, "payload": payload})


PROVIDERS = {"local": "apps.fleet.iot.LocalIotProvider"}


def get_iot_provider():
    name = settings.IOT_PROVIDER
    return import_string(PROVIDERS.get(name, name))()
