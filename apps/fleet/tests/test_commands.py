"""Remote commands as a state machine (apps.fleet.commands): each state through the local provider's faults."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.fleet.commands import command_answer, command_execute, command_request, commands_expire
from apps.fleet.iot import IotFailure, LocalIotProvider, iot_faults
from apps.fleet.models import FleetAlert, IotCommand

from .factories import make_vehicle

Status = IotCommand.Status


def _request(capture, vehicle, command="ring", **options):
    with capture(execute=True):
        row = command_request(vehicle=vehicle, command=command, source="staff", **options)
    row.refresh_from_db()
    return row


def _expire(capture, row):
    """The attempt's deadline passes and the beat's sweep runs (sending again runs on its commit)."""
    IotCommand.objects.filter(pk=row.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    with capture(execute=True):
        commands_expire()
    row.refresh_from_db()
    return row


def test_a_command_is_sent_and_acknowledged(db, django_capture_on_commit_callbacks):
    row = _request(django_capture_on_commit_callbacks, make_vehicle())
    assert (row.status, row.attempts, row.late, row.error) == (Status.ACKNOWLEDGED, 1, False, "")
    assert row.answered_at is not None and row.deadline is None


def test_a_refused_command_fails(db, django_capture_on_commit_callbacks):
    with iot_faults(reboot="refused"):
        row = _request(django_capture_on_commit_callbacks, make_vehicle(), "reboot")
    assert (row.status, row.error) == (Status.FAILED, "refused by the vehicle")


def test_an_unanswered_attempt_is_sent_again_after_its_deadline(db, django_capture_on_commit_callbacks):
    with iot_faults(ring="timeout"):
        row = _request(django_capture_on_commit_callbacks, make_vehicle())
    assert (row.status, row.attempts) == (Status.SENT, 1) and row.deadline > timezone.now()
    row = _expire(django_capture_on_commit_callbacks, row)
    assert (row.status, row.attempts) == (Status.ACKNOWLEDGED, 2)


def test_a_command_unanswered_on_every_attempt_times_out(db, django_capture_on_commit_callbacks):
    LocalIotProvider.faults.inject("ring", "timeout", times=2)
    row = _request(django_capture_on_commit_callbacks, make_vehicle(), max_attempts=2)
    row = _expire(django_capture_on_commit_callbacks, row)
    assert (row.status, row.attempts) == (Status.SENT, 2)
    row = _expire(django_capture_on_commit_callbacks, row)
    assert (row.status, row.attempts) == (Status.TIMED_OUT, 2) and "2 attempt(s)" in row.error
    assert _expire(django_capture_on_commit_callbacks, row).status == Status.TIMED_OUT  # final: left alone


def test_an_unreachable_provider_is_retried_then_the_command_fails(db):
    from apps.fleet.commands import command_deliver
    from apps.fleet.iot import IotUnavailable

    row = command_request(vehicle=make_vehicle(), command="lock", source="staff", max_attempts=2, deliver=False)
    LocalIotProvider.faults.inject("lock", "unreachable", times=2)
    with pytest.raises(IotUnavailable):  # the task retries it later
        command_deliver(command_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert command_deliver(command_id=row.pk).status == Status.FAILED  # its last attempt: no retry
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 2) and "could not be reached" in row.error
    assert command_deliver(command_id=row.pk).attempts == 2  # final: left alone


def test_a_late_answer_is_noted_without_changing_the_outcome(db, django_capture_on_commit_callbacks):
    with iot_faults(ring="late"):
        row = _request(django_capture_on_commit_callbacks, make_vehicle(), max_attempts=1)
    row = _expire(django_capture_on_commit_callbacks, row)
    assert row.status == Status.TIMED_OUT
    assert LocalIotProvider.answer_late() == 1
    row.refresh_from_db()
    assert (row.status, row.late) == (Status.TIMED_OUT, True) and row.answered_at is not None
    assert command_answer(command_id=row.pk, carried_out=True).answered_at == row.answered_at  # once


def test_a_late_unlock_is_locked_again_and_raises_an_alert(db, django_capture_on_commit_callbacks):
    vehicle = make_vehicle()
    with iot_faults(unlock="late"), pytest.raises(IotFailure) as failure:
        command_execute(vehicle=vehicle, command="unlock", idempotency_key="trip-1-unlock", timeout=5)
    assert failure.value.mode == "timeout"
    assert IotCommand.objects.get(idempotency_key="trip-1-unlock").status == Status.TIMED_OUT
    with django_capture_on_commit_callbacks(execute=True):
        LocalIotProvider.answer_late()
    alert = FleetAlert.objects.get(vehicle=vehicle)
    assert (alert.alert_type, alert.resolved_at) == ("unexpected-unlock", None)
    relock = IotCommand.objects.get(command="lock", vehicle=vehicle)
    assert (relock.source, relock.status) == ("system", Status.ACKNOWLEDGED)


def test_a_waited_for_command_tried_again_is_a_new_command(db):
    vehicle = make_vehicle()
    with iot_faults(lock="refused"), pytest.raises(IotFailure) as failure:
        command_execute(vehicle=vehicle, command="lock", idempotency_key="trip-7-lock", timeout=5)
    assert failure.value.mode == "refused"
    done = command_execute(vehicle=vehicle, command="lock", idempotency_key="trip-7-lock", timeout=5)
    assert (done.idempotency_key, done.status) == ("trip-7-lock/2", Status.ACKNOWLEDGED)
    again = command_execute(vehicle=vehicle, command="lock", idempotency_key="trip-7-lock", timeout=5)
    assert again.pk == done.pk  # a repeated end after success sends nothing more
    assert IotCommand.objects.filter(vehicle=vehicle).count() == 2


def test_an_unreachable_provider_fails_a_waited_for_command(db):
    with iot_faults(unlock="unreachable"), pytest.raises(IotFailure) as failure:
        command_execute(vehicle=make_vehicle(), command="unlock", idempotency_key="trip-9-unlock", timeout=5)
    assert failure.value.mode == "unreachable"
    assert IotCommand.objects.get().status == Status.FAILED


def test_the_vehicles_admin_sends_commands_through_the_service(db, superuser, django_capture_on_commit_callbacks):
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(superuser)
    vehicle, retired = make_vehicle(), make_vehicle(decommissioned_at=timezone.now())
    url = "/admin/fleet/vehicle/"
    selection = {"_selected_action": [vehicle.pk, retired.pk]}
    asked = admin_client.post(url, {"action": "lock", **selection})
    assert b"Are you sure?" in asked.content and not IotCommand.objects.exists()  # confirmed first
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "lock", "confirmed": "yes", **selection})
    sent = IotCommand.objects.get()
    assert (sent.vehicle, sent.command, sent.source, sent.requested_by, sent.status) == (
        vehicle, "lock", "staff", superuser, Status.ACKNOWLEDGED)  # the retired vehicle was refused
    for speed in ("5", "fast", ""):
        admin_client.post(url, {"action": "set_max_speed", "confirmed": "yes", "max_speed": speed, **selection})
    assert IotCommand.objects.count() == 1  # out of the API's bounds: nothing sent
    admin_client.post(url, {"action": "set_max_speed", "confirmed": "yes", "max_speed": "18",
                            "_selected_action": [vehicle.pk]})
    assert IotCommand.objects.get(command="set_max_speed").payload == {"max_speed": 18}
