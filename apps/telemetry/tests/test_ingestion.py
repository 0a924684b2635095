"""Ingestion through HTTP: batches kept once, newest state wins, bad messages refused one by one, providers' scope."""
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.fleet.services import vehicle_change_network
from apps.networks.tests.factories import make_network
from apps.telemetry.history import MESSAGES, keep_history
from apps.telemetry.models import TelemetryMessage, TelemetryProvider, VehicleState

from .factories import LYON, at, fitted_vehicle, make_provider, message, report


@pytest.fixture
def provider(db):
    return make_provider()


def _ok(response) -> dict:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["code"] == 0
    return body["data"]


def test_a_batch_is_kept_and_the_newest_message_becomes_the_state(provider):
    provider, token = provider
    vehicle = fitted_vehicle(provider)
    older = message(vehicle, seconds_ago=20, battery=81, locked=True, speed=0, odometer=1200, errors=["E1"])
    newer = message(vehicle, seconds_ago=10, position=(45.765, 4.836), battery=80, speed=12.5)
    assert _ok(report(token, newer, older)) == {"accepted": 2, "duplicates": 0, "rejected": []}
    state = VehicleState.objects.get(vehicle=vehicle)
    assert (state.message_id, state.latitude, state.longitude, state.battery, state.speed) == (
        newer["id"], 45.765, 4.836, 80, 12.5)
    assert (state.locked, state.odometer, state.error_codes) == (True, 1200, [])  # kept from the older message
    vehicle.refresh_from_db()
    assert (float(vehicle.latitude), float(vehicle.longitude), vehicle.battery_level) == (45.765, 4.836, 80)
    assert vehicle.position_at == state.reported_at
    kept = list(TelemetryMessage.objects.filter(vehicle_id=vehicle.pk).order_by("recorded_at"))
    assert [(m.message_id, m.network_id, m.battery, m.error_codes, m.odometer) for m in kept] == [
        (older["id"], vehicle.network_id, 81, ["E1"], 1200), (newer["id"], vehicle.network_id, 80, [], None)]


def test_a_batch_sent_twice_is_kept_once(provider):
    provider, token = provider
    vehicle = fitted_vehicle(provider)
    batch = [message(vehicle, seconds_ago=s) for s in (30, 20, 10)]
    _ok(report(token, *batch))
    assert _ok(report(token, *batch)) == {"accepted": 0, "duplicates": 3, "rejected": []}
    assert _ok(report(token, batch[0], batch[0])) == {"accepted": 0, "duplicates": 2, "rejected": []}
    assert TelemetryMessage.objects.filter(vehicle_id=vehicle.pk).count() == 3


def test_an_older_message_arriving_late_is_history_only(provider):
    provider, token = provider
    vehicle = fitted_vehicle(provider)
    _ok(report(token, message(vehicle, seconds_ago=5, battery=50)))
    late = message(vehicle, seconds_ago=60, battery=90, position=(45.70, 4.80))
    assert _ok(report(token, late))["accepted"] == 1
    assert VehicleState.objects.get(vehicle=vehicle).battery == 50
    vehicle.refresh_from_db()
    assert (vehicle.battery_level, float(vehicle.latitude)) == (50, LYON[0])
    assert TelemetryMessage.objects.filter(vehicle_id=vehicle.pk).count() == 2


BAD_MESSAGES = [
    ({"id": ""}, "id:"), ({"id": "x" * 65}, "id:"), ({"id": "a b"}, "id:"), ({"id": 7}, "id:"),
    ({"vehicle": None}, "vehicle:"), ({"vehicle": "unknown-device"}, "vehicle: no device"),
    ({"time": "yesterday"}, "time:"), ({"time": None}, "time:"), ({"time": "2020-01-01T00:00:00Z"}, "retention"),
    ({"time": "2999-01-01T00:00:00+00:00"}, "in the future"),
    ({"latitude": 91}, "latitude:"), ({"longitude": -181}, "longitude:"), ({"latitude": "45.7"}, "latitude:"),
    ({"longitude": None}, "latitude and longitude"), ({"battery": 101}, "battery:"), ({"battery": -1}, "battery:"),
    ({"battery": 50.5}, "battery:"), ({"battery": True}, "battery:"), ({"speed": 201}, "speed:"),
    ({"speed": -1}, "speed:"), ({"odometer": 10**12 + 1}, "odometer:"), ({"locked": "yes"}, "locked:"),
    ({"errors": ["x" * 33]}, "errors:"), ({"errors": ["E"] * 17}, "errors:"), ({"errors": "E1"}, "errors:"),
    ({"colour": "red"}, "colour: unknown field"),
]


@pytest.mark.parametrize("change,reason", BAD_MESSAGES, ids=[str(c) for c, _ in BAD_MESSAGES])
def test_a_bad_message_is_refused_alone_with_its_reason(provider, change, reason):
    provider, token = provider
    vehicle = fitted_vehicle(provider)
    bad = {**message(vehicle, seconds_ago=5), **change}
    good = message(vehicle, seconds_ago=1)
    data = _ok(report(token, good, bad))
    assert (data["accepted"], len(data["rejected"])) == (1, 1)
    assert data["rejected"][0]["index"] == 1 and reason in data["rejected"][0]["reason"], data
    assert list(TelemetryMessage.objects.values_list("message_id", flat=True)) == [good["id"]]


@pytest.mark.parametrize("body,field", [
    (b"not json", "body"), (b"[]", "body"), (b'{"messages": []}', "messages"), (b'{"messages": {}}', "messages"),
    (b'{"messages": [{}], "extra": 1}', "extra"), (b"{}", "messages")])
def test_a_malformed_body_is_refused_naming_the_field(provider, body, field):
    provider, token = provider
    response = report(token, raw=body)
    assert response.status_code == 400
    assert response.json()["code"] == -2 and field in response.json()["message"]["fields"]


def test_a_batch_is_at_most_a_thousand_messages(provider):
    provider, token = provider
    vehicle = fitted_vehicle(provider)
    response = report(token, *[message(vehicle, seconds_ago=i) for i in range(1001)])
    assert response.status_code == 400 and "messages" in response.json()["message"]["fields"]
    assert not TelemetryMessage.objects.exists()


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer tlm_unknown", "Basic abc"])
def test_a_provider_token_is_required(provider, authorization):
    from rest_framework.test import APIClient

    provider, token = provider
    vehicle = fitted_vehicle(provider)
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = APIClient().post("/api/telemetry/v1/messages", {"messages": [message(vehicle)]}, format="json",
                                **headers)
    assert response.status_code == 401 and response.json()["code"] == -3
    assert not TelemetryMessage.objects.exists()


def test_a_revoked_provider_is_refused(provider):
    provider, token = provider
    vehicle = fitted_vehicle(provider)
    TelemetryProvider.objects.filter(pk=provider.pk).update(revoked_at=timezone.now())
    assert report(token, message(vehicle)).status_code == 401


def test_a_provider_cannot_report_another_providers_vehicle(provider):
    provider, token = provider
    other, other_token = make_provider()
    theirs = fitted_vehicle(other, device_id="BOX-1")
    fitted_vehicle(provider, device_id="BOX-2")
    data = _ok(report(token, message("BOX-1")))
    assert data["accepted"] == 0 and "no device" in data["rejected"][0]["reason"]
    assert not VehicleState.objects.filter(vehicle=theirs).exists()
    assert _ok(report(other_token, message("BOX-1")))["accepted"] == 1  # its own provider reports it


def test_a_vehicle_moved_to_another_network_keeps_its_history_there(provider):
    provider, token = provider
    vehicle = fitted_vehicle(provider)
    first = vehicle.network
    _ok(report(token, message(vehicle, seconds_ago=60)))
    second = make_network()
    vehicle_change_network(vehicle=vehicle, network=second)
    _ok(report(token, message(vehicle, seconds_ago=1)))
    assert list(TelemetryMessage.objects.order_by("recorded_at").values_list("network_id", flat=True)) == [
        first.pk, second.pk]


def test_the_number_of_queries_does_not_grow_with_the_batch(provider, django_assert_max_num_queries):
    provider, token = provider
    vehicles = [fitted_vehicle(provider) for _ in range(40)]
    _ok(report(token, *[message(v, seconds_ago=30) for v in vehicles[:2]]))
    with django_assert_max_num_queries(16):
        data = _ok(report(token, *[message(v, seconds_ago=s, battery=5) for v in vehicles for s in (3, 2, 1)]))
    assert data["accepted"] == 120


def _partition_of(message_id: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM telemetry_message WHERE message_id = %s", [message_id])
        return cursor.fetchone()[0]


def test_messages_are_kept_by_day_and_whole_days_leave_after_the_retention(provider, settings):
    provider, token = provider
    vehicle = fitted_vehicle(provider)
    # Each message's day is read off its own time, taken once: near midnight, "now" read twice may fall on two days.
    just_now = timezone.now() - timedelta(seconds=1)
    today = message(vehicle, time=just_now.isoformat())
    _ok(report(token, today))
    assert _partition_of(today["id"]) == MESSAGES.name(just_now.date())
    settings.TELEMETRY_RETENTION_DAYS = 30
    twenty_days_ago = just_now - timedelta(days=20)
    old_day = twenty_days_ago.date()
    MESSAGES.ensure(first=old_day)
    old = message(vehicle, time=twenty_days_ago.isoformat())
    _ok(report(token, old))
    assert _partition_of(old["id"]) == MESSAGES.name(old_day)
    settings.TELEMETRY_RETENTION_DAYS = 10
    assert keep_history()["dropped_rows"] >= 1
    assert MESSAGES.name(old_day) not in MESSAGES.attached()
    assert list(TelemetryMessage.objects.values_list("message_id", flat=True)) == [today["id"]]
    assert report(token, message(vehicle, seconds_ago=15 * 86400)).json()["data"]["rejected"][0]["reason"] == (
        "time: older than the telemetry's retention.")


def test_a_naive_time_is_read_in_utc(provider):
    provider, token = provider
    vehicle = fitted_vehicle(provider)
    moment = (timezone.now() - timedelta(seconds=30)).replace(microsecond=0)
    _ok(report(token, message(vehicle, time=moment.replace(tzinfo=None).isoformat())))
    assert VehicleState.objects.get(vehicle=vehicle).reported_at == moment
    assert at(0)  # the factory's times carry their offset


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_batches_racing_on_one_vehicle_leave_its_newest_state_and_one_alert():
    from apps.core.testing.concurrency import at_once
    from apps.fleet.models import FleetAlert

    provider, token = make_provider()
    vehicle = fitted_vehicle(provider)
    for attempt in range(5):
        VehicleState.objects.all().delete()
        FleetAlert.objects.all().delete()
        older = message(vehicle, seconds_ago=20 + attempt, battery=9)
        newer = message(vehicle, seconds_ago=10 + attempt, battery=8)
        answers = at_once(lambda: report(token, older), lambda: report(token, newer))
        assert [a.json()["data"]["accepted"] for a in answers] == [1, 1]
        assert VehicleState.objects.get(vehicle=vehicle).message_id == newer["id"]
        assert FleetAlert.objects.filter(vehicle=vehicle, rule="low-battery", resolved_at__isnull=True).count() == 1
