"""The IoT provider interface: how fleetadmin talks to vehicles (locks, settings).

`IOT_PROVIDER` names the implementation. The `local` provider records each command in `IotCommand`, so tests
and the demo can see what would have been sent; a vendor's provider implements `send` over its API and raises
`IotUnavailable` on transient failures (the calling task retries).

A trip's lock commands wait for the vehicle's answer: `unlock` and `lock` return once the vehicle confirmed, or raise
`IotFailure` (refused, unreachable, or no confirmation within `timeout` seconds, `IOT_UNLOCK_TIMEOUT`). No database
transaction is open during them: the trip lifecycle commits before it unlocks (apps.trips.lifecycle). The local
provider confirms at once, unless a fault was injected (`iot_faults(unlock="timeout")`), as the payment sandbox does.
"""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from apps.core.faults import FaultQueue

FAULT_MODES = ("refused", "timeout", "unreachable")
LOCK_STEPS = ("unlock", "lock")


class IotUnavailable(Exception):
    """The provider could not be reached; retry later."""


class IotFailure(Exception):
    """A lock command the vehicle did not carry out."""

    def __init__(self, step: str, mode: str):
        super().__init__(f"The vehicle's {step} failed ({mode}).")
        self.step, self.mode = step, mode


class LocalIotProvider:
    faults = FaultQueue(LOCK_STEPS, FAULT_MODES, "IoT")

    def send(self, *, vehicle, command: str, payload: dict, idempotency_key: str) -> None:
        from .models import IotCommand

        IotCommand.objects.get_or_create(idempotency_key=idempotency_key,
                                         defaults={"vehicle": vehicle, "network_id": vehicle.network_id,
                                                   "command": command, "payload": payload})

    def unlock(self, *, vehicle, idempotency_key: str, timeout: float) -> None:
        self._confirm("unlock", vehicle, idempotency_key, {"timeout": timeout})

    def lock(self, *, vehicle, idempotency_key: str) -> None:
        self._confirm("lock", vehicle, idempotency_key, {})

    def _confirm(self, step: str, vehicle, idempotency_key: str, payload: dict) -> None:
        mode = self.faults.next(step)
        if mode:
            raise IotFailure(step, mode)
        self.send(vehicle=vehicle, command=step, payload=payload, idempotency_key=idempotency_key)


def iot_faults(**steps):
    """`with iot_faults(unlock="timeout"):` the next call of each named step fails that way."""
    return LocalIotProvider.faults.injected(**steps)


PROVIDERS = {"local": "apps.fleet.iot.LocalIotProvider"}


def get_iot_provider():
    name = settings.IOT_PROVIDER
    return import_string(PROVIDERS.get(name, name))()
