"""Remote commands to vehicles (lock, unlock, ring, maximum speed, reboot, settings) as a state machine over the
IoT provider (apps.fleet.iot), with timeouts and retries:

    pending --transmit--> sent --answer--> acknowledged | failed
       ^                   |
       +--- deadline passed, attempts left (expire) ---+--> timed_out when none are left
    pending --provider unreachable--> pending (the task retries) --> failed once the attempts are spent

Every step locks the command's row and commits before the provider is called, so a crash leaves a state the next
run picks up and no attempt is made twice. Staff commands (admin actions, the dashboard API) are delivered by a
Celery task queued on commit; a trip's unlock and lock wait for the answer (`command_execute`).
"""
from __future__ import annotations

import time
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.create_once import create_once
from apps.core.exceptions import BusinessRuleViolation

from .iot import IotFailure, IotUnavailable, get_iot_provider
from .models import FleetAlert, IotCommand, Vehicle
from .tasks import deliver_iot_command

Status = IotCommand.Status
FINAL = (Status.ACKNOWLEDGED, Status.FAILED, Status.TIMED_OUT)
STAFF_COMMANDS = ("lock", "unlock", "ring", "reboot")


def command_request(*, vehicle: Vehicle, command: str, source: str, payload: dict | None = None, requested_by=None,
                    idempotency_key: str | None = None, timeout: int = 30, max_attempts: int = 3,
                    deliver: bool = True, sent_by_caller: bool = False) -> IotCommand:
    """Record a command (once per idempotency key) and, with `deliver`, queue its delivery after the commit. With
    `sent_by_caller`, a new command is recorded `sent` with its first attempt under way: the caller transmits it
    right after the commit (`_send`), as `_transmit` would after marking it (a transaction saved)."""

    first_attempt = {"status": Status.SENT, "attempts": 1,
                     "deadline": timezone.now() + timedelta(seconds=timeout)} if sent_by_caller else {}
    key = idempotency_key or f"{command}-{vehicle.pk}-{uuid.uuid4().hex}"
    fields = {"vehicle": vehicle, "network_id": vehicle.network_id, "command": command, "payload": payload or {},
              "source": source, "requested_by": requested_by, "timeout": timeout, "max_attempts": max_attempts,
              **first_attempt}
    row, created = create_once(IotCommand, key={"idempotency_key": key}, fields=fields)
    row.created_here = created
    if created and deliver:
        transaction.on_commit(lambda: deliver_iot_command.delay(row.pk))
    return row


def vehicle_command_send(*, vehicle: Vehicle, command: str, requested_by, payload: dict | None = None) -> IotCommand:
    """A staff member's command to an active vehicle (the dashboard API and the admin's actions); delivered after the
    commit."""
    if vehicle.decommissioned_at is not None:
        raise BusinessRuleViolation("vehicle.decommissioned", "This vehicle is decommissioned.")
    return command_request(vehicle=vehicle, command=command, payload=payload, source=IotCommand.Source.STAFF,
                           requested_by=requested_by)


def command_deliver(*, command_id: int) -> IotCommand:
    """Transmit the next attempt of a pending command (a command in any other state is left alone). Raises
    IotUnavailable when the provider cannot be reached and attempts remain (the caller retries later)."""
    return _transmit(command_id)[0]


def _transmit(command_id: int) -> tuple[IotCommand, bool]:
    """command_deliver, and whether this call transmitted (another request may have sent it a moment before)."""
    with transaction.atomic():
        command = IotCommand.objects.select_for_update(of=("self",)).select_related("vehicle").get(pk=command_id)
        if command.status != Status.PENDING:
            return command, False
        command.attempts += 1
        command.status, command.deadline = Status.SENT, timezone.now() + timedelta(seconds=command.timeout)
        command.save(update_fields=["attempts", "status", "deadline"])
    return _send(command), True


def _send(command: IotCommand) -> IotCommand:
    """Transmit the attempt a committed `sent` row records; the command as it stands after."""
    try:
        answered = get_iot_provider().transmit(command=command,
                                               attempt_key=f"{command.idempotency_key}#{command.attempts}")
    except IotUnavailable as unreachable:
        with transaction.atomic():
            spent = IotCommand.objects.filter(pk=command.pk, status=Status.SENT, attempts__gte=command.max_attempts)
            if spent.update(status=Status.FAILED, deadline=None, error="The IoT provider could not be reached."):
                return IotCommand.objects.get(pk=command.pk)
            IotCommand.objects.filter(pk=command.pk, status=Status.SENT).update(status=Status.PENDING, deadline=None)
        raise unreachable
    return answered if answered is not None else IotCommand.objects.get(pk=command.pk)


@transaction.atomic
def command_answer(*, command_id: int, carried_out: bool, error: str = "") -> IotCommand | None:
    """The vehicle's answer. It settles a command still waiting; after the command gave up it is only noted (`late`),
    and a late unlock is undone: the vehicle is locked again and staff are alerted. A repeated answer changes
    nothing. None for an unknown command."""
    command = (IotCommand.objects.select_for_update(of=("self",)).filter(pk=command_id).select_related("vehicle")
               .first())
    if command is None:
        return None
    now = timezone.now()
    if command.status in (Status.PENDING, Status.SENT):
        command.status = Status.ACKNOWLEDGED if carried_out else Status.FAILED
        command.answered_at, command.deadline, command.error = now, None, error[:200]
        command.save(update_fields=["status", "answered_at", "deadline", "error"])
    elif command.answered_at is None:
        command.answered_at, command.late = now, True
        command.save(update_fields=["answered_at", "late"])
        if carried_out and command.command == "unlock" and command.status != Status.ACKNOWLEDGED:
            _undo_late_unlock(command)
    return command


def _undo_late_unlock(command: IotCommand) -> None:
    vehicle = command.vehicle
    FleetAlert.objects.create(
        network_id=vehicle.network_id, vehicle=vehicle, alert_type=FleetAlert.Type.UNEXPECTED_UNLOCK,
        severity=FleetAlert.Severity.HIGH,
        message=f"The vehicle unlocked after its unlock command gave up ({command.idempotency_key}); locked again.")
    command_request(vehicle=vehicle, command="lock", source=IotCommand.Source.SYSTEM,
                    idempotency_key=f"relock-{command.pk}")


def commands_expire(*, limit: int = 500) -> int:
    """Sent commands whose attempt went unanswered past its deadline: sent again while attempts remain, else timed
    out. Rows another run holds are skipped (`skip_locked`); how many changed."""

    with transaction.atomic():
        waiting = list(IotCommand.objects.select_for_update(skip_locked=True)
                       .filter(status=Status.SENT, deadline__lte=timezone.now()).order_by("deadline")[:limit])
        for command in waiting:
            if command.attempts < command.max_attempts:
                command.status, command.deadline = Status.PENDING, None
                transaction.on_commit(lambda pk=command.pk: deliver_iot_command.delay(pk))
            else:
                command.status, command.deadline = Status.TIMED_OUT, None
                command.error = f"No answer after {command.attempts} attempt(s) of {command.timeout} s."
        IotCommand.objects.bulk_update(waiting, ["status", "deadline", "error"])
    return len(waiting)


def command_execute(*, vehicle: Vehicle, command: str, idempotency_key: str, timeout: int) -> IotCommand:
    """Send a command and wait for its answer (a trip's unlock and lock): IotFailure unless the vehicle carried it
    out within `timeout` seconds. One attempt; trying again after a failure makes a new command (key/2, key/3...)."""
    key, tries = idempotency_key, 1
    while True:
        row = command_request(vehicle=vehicle, command=command, source=IotCommand.Source.TRIP, idempotency_key=key,
                              timeout=timeout, max_attempts=1, deliver=False, sent_by_caller=True)
        if row.status not in (Status.FAILED, Status.TIMED_OUT):
            break
        tries += 1
        key = f"{idempotency_key}/{tries}"
    if row.status == Status.ACKNOWLEDGED:
        return row
    try:
        # Recorded sent just now: this request transmits it; found (a double tap): whoever has not sent it does.
        row, transmitted = (_send(row), True) if row.created_here else _transmit(row.pk)
    except IotUnavailable:  # one attempt: it is failed already
        row, transmitted = IotCommand.objects.get(pk=row.pk), True
    # Sent by another request a moment ago (a double tap), or answered later by the gateway: wait for the answer.
    if row.status == Status.SENT and (not transmitted or not get_iot_provider().answers_during_transmit):
        row = _wait_for_answer(row)
    if row.status == Status.SENT:
        IotCommand.objects.filter(pk=row.pk, status=Status.SENT).update(
            status=Status.TIMED_OUT, deadline=None, error=f"No answer within {timeout} s.")
        row.refresh_from_db()
    if row.status == Status.ACKNOWLEDGED:
        return row
    mode = {"timed_out": "timeout"}.get(row.status, "unreachable" if "reached" in row.error else "refused")
    raise IotFailure(command, mode)


def _wait_for_answer(row: IotCommand) -> IotCommand:
    """Poll the command's row until the gateway's answer lands or the attempt's deadline passes."""
    pause = 0.05
    while timezone.now() < row.deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
        row.refresh_from_db(fields=["status", "answered_at", "error"])
        if row.status != Status.SENT:
            break
    return row
