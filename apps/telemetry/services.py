"""Staff's commands to vehicles (the dashboard API and the admin's actions call these)."""
from __future__ import annotations

from apps.core.exceptions import BusinessRuleViolation
from apps.fleet.commands import command_request
from apps.fleet.models import IotCommand, Vehicle


def vehicle_command_send(*, vehicle: Vehicle, command: str, requested_by, payload: dict | None = None) -> IotCommand:
    """Record a staff command to an active vehicle; it is delivered after the commit (apps.fleet.commands)."""
    if vehicle.decommissioned_at is not None:
        raise BusinessRuleViolation("vehicle.decommissioned", "This vehicle is decommissioned.")
    return command_request(vehicle=vehicle, command=command, payload=payload, source=IotCommand.Source.STAFF,
                           requested_by=requested_by)
