"""The IoT provider interface: how fleetadmin reaches vehicles (apps.fleet.commands keeps each command's state).

`IOT_PROVIDER` names the implementation. A provider `transmit`s one attempt of a command and raises `IotUnavailable`
when it cannot be reached (the command stays pending and is retried); it may return the command as answered when
the answer came during the transmission (else None: the caller reads it again). The vehicle's answer comes back later through
`apps.fleet.commands.command_answer`: a vendor's gateway posts it to the telemetry API
(`POST /api/telemetry/v1/command-answers`). A provider whose answers arrive during `transmit` says so
(`answers_during_transmit`): a trip's unlock then does not wait for an answer that cannot come any more.

The `local` provider simulates the vehicles: it answers at once, unless a fault was injected for the next call of a
command (`iot_faults(unlock="timeout")`), as the payment sandbox does:
- `refused`: the vehicle answers that it did not do it;
- `timeout`: the vehicle never answers (the command times out, or is sent again);
- `late`: the answer is held back until `LocalIotProvider.answer_late()` (after the command gave up, in tests);
- `unreachable`: the provider cannot be reached (`IotUnavailable`).
"""
from __future__ import annotations

import threading

from django.conf import settings
from django.utils.module_loading import import_string

from apps.core.faults import FaultQueue

COMMANDS = ("unlock", "lock", "ring", "set_max_speed", "reboot", "apply_settings")
FAULT_MODES = ("refused", "timeout", "late", "unreachable")


class IotUnavailable(Exception):
    """The provider could not be reached; retry later."""


class IotFailure(Exception):
    """A command the vehicle did not carry out in time."""

    def __init__(self, step: str, mode: str):
        super().__init__(f"The vehicle's {step} failed ({mode}).")
        self.step, self.mode = step, mode


class LocalIotProvider:
    faults = FaultQueue(COMMANDS, FAULT_MODES, "IoT")
    answers_during_transmit = True
    _held: list[tuple[int, bool]] = []  # late answers: (command id, carried out)
    _held_lock = threading.Lock()

    def transmit(self, *, command, attempt_key: str):
        from .commands import command_answer  # commands calls the provider: imported when needed

        mode = self.faults.next(command.command)
        if mode == "unreachable":
            raise IotUnavailable(f"The IoT provider could not be reached ({command.command}).")
        if mode == "timeout":
            return
        if mode == "late":
            with self._held_lock:
                self._held.append((command.pk, True))
            return
        return command_answer(command_id=command.pk, carried_out=mode != "refused",
                              error="refused by the vehicle" if mode == "refused" else "")

    @classmethod
    def answer_late(cls) -> int:
        """The answers held back by `late` faults arrive now; how many."""
        from .commands import command_answer  # commands calls the provider: imported when needed

        with cls._held_lock:
            held, cls._held[:] = list(cls._held), []
        for command_id, carried_out in held:
            command_answer(command_id=command_id, carried_out=carried_out)
        return len(held)


def iot_faults(**steps):
    """`with iot_faults(unlock="timeout"):` the next call of each named command fails that way."""
    return LocalIotProvider.faults.injected(**steps)


PROVIDERS = {"local": "apps.fleet.iot.LocalIotProvider"}


def get_iot_provider():
    name = settings.IOT_PROVIDER
    return import_string(PROVIDERS.get(name, name))()
