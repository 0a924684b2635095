"""The dashboard's telemetry and command operations: what they return and save, their rules and scope."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.access.tests.factories import make_unit
from apps.core.testing.clients import client_for
from apps.fleet.iot import iot_faults
from apps.fleet.models import IotCommand
from apps.fleet.services import vehicle_change_network
from apps.networks.tests.factories import make_network

from .factories import fitted_vehicle, make_provider, message, report

TELEMETRY = "/api/dashboard/v1/vehicle-telemetry"
COMMANDS = "/api/dashboard/v1/vehicle-commands"


@pytest.fixture
def reported(db):
    provider, token = make_provider()
    vehicle = fitted_vehicle(provider)
    return vehicle, token


def _range(hours_back=1, hours=1):
    low = timezone.now() - timedelta(hours=hours_back)
    return {"from": low.isoformat(), "to": (low + timedelta(hours=hours)).isoformat()}


def test_a_vehicles_messages_are_read_by_time_range_oldest_first(reported, admin_client):
    vehicle, token = reported
    sent = [message(vehicle, seconds_ago=s, battery=b) for s, b in ((7200, 90), (600, 80), (300, 79), (60, 78))]
    report(token, *sent)
    response = admin_client.get(TELEMETRY, {"vehicle_id": vehicle.pk, **_range()})
    assert response.status_code == 200
    rows = response.json()["data"]
    assert [(r["message_id"], r["battery"]) for r in rows] == [(sent[1]["id"], 80), (sent[2]["id"], 79),
                                                              (sent[3]["id"], 78)]
    assert rows[0]["latitude"] == sent[1]["latitude"] and rows[0]["error_codes"] == []
    limited = admin_client.get(TELEMETRY, {"vehicle_id": vehicle.pk, "limit": 2, **_range()}).json()["data"]
    assert [r["battery"] for r in limited] == [80, 79]


def test_a_vehicles_messages_read_as_csv_are_the_json_rows(reported, admin_client):
    """`Accept: text/csv`: the same messages, in the same order and limit, written by PostgreSQL (a busy vehicle's day
    without a Python object per value); text the gateway sent cannot start a spreadsheet formula."""
    import csv
    import io
    from datetime import datetime

    vehicle, token = reported
    sent = [message(vehicle, seconds_ago=600, battery=80, speed=12.5, odometer=1200, locked=False),
            message(vehicle, seconds_ago=300, battery=79, errors=["E12", "-2-3"], locked=True),
            message(vehicle, seconds_ago=60, id="-1-1", position=None)]
    assert report(token, *sent).json()["data"]["accepted"] == 3
    query = {"vehicle_id": vehicle.pk, **_range()}
    as_json = admin_client.get(TELEMETRY, query).json()["data"]
    response = admin_client.get(TELEMETRY, query, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["id", "message_id", "recorded_at", "received_at", "latitude", "longitude", "battery",
                             "locked", "speed", "odometer", "error_codes"]
    assert [int(row["id"]) for row in rows] == [row["id"] for row in as_json] and len(rows) == 3
    for row, expected in zip(rows, as_json):
        assert datetime.fromisoformat(row["recorded_at"]) == datetime.fromisoformat(expected["recorded_at"])
        assert (row["battery"] or None) == (str(expected["battery"]) if expected["battery"] is not None else None)
        assert float(row["latitude"] or "nan") == float(expected["latitude"] or "nan") or expected["latitude"] is None
    assert (rows[0]["speed"], rows[0]["odometer"], rows[0]["locked"], rows[0]["error_codes"]) == ("12.5", "1200", "f", "")
    assert rows[1]["error_codes"] == "E12 -2-3" and rows[1]["locked"] == "t"
    assert rows[2]["message_id"] == "'-1-1" and rows[2]["latitude"] == ""
    limited = admin_client.get(TELEMETRY, {**query, "limit": 2}, HTTP_ACCEPT="text/csv").content.decode()
    assert [int(row["id"]) for row in csv.DictReader(io.StringIO(limited))] == [row["id"] for row in as_json[:2]]
    # A refusal keeps the envelope, whatever the Accept header asks.
    refused = admin_client.get(TELEMETRY, {**query, "limit": 0}, HTTP_ACCEPT="text/csv")
    assert refused.status_code == 400 and "limit" in refused.json()["message"]["fields"]


def test_a_vehicles_messages_as_json_are_written_by_postgresql_with_the_apis_values(reported, admin_client):
    """The compact JSON answer is written by PostgreSQL (`row_to_json`, a busy vehicle's day without a Python object
    per value): the same values as the Python-built answer (the indented one), times in UTC ending in `Z`. Where a
    stored text ends in `+00:00` (not through the gateway, whose identifiers have no `+`), Python builds it."""
    from datetime import datetime

    from django.db import connection

    vehicle, token = reported
    second = (timezone.now() - timedelta(minutes=5)).replace(microsecond=120000)
    sent = [message(vehicle, seconds_ago=600, battery=80, speed=12.5, odometer=1200, locked=False),
            {**message(vehicle, errors=["E12", "B:7"], locked=True, speed=0.0), "time": second.isoformat()},
            message(vehicle, seconds_ago=60, position=None)]
    assert report(token, *sent).json()["data"]["accepted"] == 3
    query = {"vehicle_id": vehicle.pk, **_range()}
    compact = admin_client.get(TELEMETRY, query)
    built = admin_client.get(TELEMETRY, query, HTTP_ACCEPT="application/json; indent=2")
    assert compact.status_code == built.status_code == 200 and compact["Content-Type"] == "application/json"
    assert b'.12Z"' in compact.content and b'.120000Z"' in built.content  # PostgreSQL's text, then Python's
    written, expected = compact.json(), built.json()
    assert list(written) == ["code", "data"] and written["code"] == 0
    for row, python_row in zip(written["data"], expected["data"], strict=True):
        assert list(row) == list(python_row)  # the same keys, in the same order
        for name in ("recorded_at", "received_at"):
            assert row[name].endswith("Z") and datetime.fromisoformat(row[name]) == datetime.fromisoformat(
                python_row[name])
        assert {k: v for k, v in row.items() if not k.endswith("_at")} == {
            k: v for k, v in python_row.items() if not k.endswith("_at")}
    assert [row["message_id"] for row in written["data"]] == [m["id"] for m in sent]
    assert written["data"][1]["error_codes"] == ["E12", "B:7"] and written["data"][2]["latitude"] is None

    with connection.cursor() as cursor:
        cursor.execute("UPDATE telemetry_message SET message_id = 'imported+00:00' WHERE message_id = %s",
                       [sent[0]["id"]])
    kept = admin_client.get(TELEMETRY, query)
    assert kept.status_code == 200 and b'.120000Z"' in kept.content
    assert kept.json()["data"][0]["message_id"] == "imported+00:00"


def test_a_csv_read_stays_inside_the_callers_networks(reported, staff_user, grant_access):
    """As the JSON answer: the messages of the networks the caller sees only (here none: the header alone)."""
    vehicle, token = reported
    report(token, message(vehicle, seconds_ago=60))
    grant_access(staff_user, "vehicles.manage", where=make_unit(networks=[make_network()]))
    query = {"vehicle_id": vehicle.pk, **_range()}
    assert client_for(staff_user).get(TELEMETRY, query).json()["data"] == []
    response = client_for(staff_user).get(TELEMETRY, query, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response.content.decode().splitlines() == [
        "id,message_id,recorded_at,received_at,latitude,longitude,battery,locked,speed,odometer,error_codes"]


@pytest.mark.parametrize("change,field", [
    ({"to": None}, "to"), ({"from": "yesterday"}, "from"), ({"limit": 0}, "limit"), ({"limit": 20_001}, "limit"),
    ({"vehicle_id": 0}, "vehicle_id")])
def test_a_bad_range_query_names_its_field(reported, admin_client, change, field):
    vehicle, _ = reported
    query = {"vehicle_id": vehicle.pk, **_range(), **change}
    response = admin_client.get(TELEMETRY, {k: v for k, v in query.items() if v is not None})
    assert response.status_code == 400 and field in response.json()["message"]["fields"]


@pytest.mark.parametrize("hours_back,hours", [(1, 0), (30, 25), (1, -1)])
def test_a_range_is_forward_and_at_most_a_day(reported, admin_client, hours_back, hours):
    vehicle, _ = reported
    response = admin_client.get(TELEMETRY, {"vehicle_id": vehicle.pk, **_range(hours_back, hours)})
    assert response.status_code == 400 and list(response.json()["message"]["fields"]) == ["to"]


def test_each_network_sees_the_history_of_its_own_time(reported, staff_user, grant_access):
    vehicle, token = reported
    first, second = vehicle.network, make_network()
    report(token, message(vehicle, seconds_ago=120))
    vehicle_change_network(vehicle=vehicle, network=second)
    report(token, message(vehicle, seconds_ago=60))
    seen = {}
    for network in (first, second):
        user = type(staff_user).objects.create_user(email=f"staff-{network.pk}@example.com")
        grant_access(user, "vehicles.manage", where=make_unit(networks=[network]))
        rows = client_for(user).get(TELEMETRY, {"vehicle_id": vehicle.pk, **_range()}).json()["data"]
        seen[network] = [r["recorded_at"] for r in rows]
    assert len(seen[first]) == len(seen[second]) == 1 and seen[first][0] < seen[second][0]


def test_a_staff_command_is_sent_after_the_answer_and_read_back(reported, admin_client, superuser,
                                                                django_capture_on_commit_callbacks):
    vehicle, _ = reported
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/api/dashboard/v1/vehicles/{vehicle.pk}/commands", {"command": "ring"},
                                     format="json")
    assert response.status_code == 200
    sent = response.json()["data"]
    assert (sent["command"], sent["status"], sent["source"], sent["requested_by"]) == (
        "ring", "pending", "staff", superuser.email)  # as saved, before the task ran
    listed = admin_client.get(COMMANDS, {"vehicle_id": vehicle.pk}).json()
    assert listed["total"] == 1
    row = listed["data"][0]
    assert (row["id"], row["status"], row["attempts"], row["vehicle_id"]) == (sent["id"], "acknowledged", 1,
                                                                              vehicle.pk)


def test_a_max_speed_is_sent_with_its_value(reported, admin_client, django_capture_on_commit_callbacks):
    vehicle, _ = reported
    with iot_faults(set_max_speed="refused"), django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/api/dashboard/v1/vehicles/{vehicle.pk}/max-speed", {"max_speed": 18},
                                     format="json")
    command = IotCommand.objects.get(pk=response.json()["data"]["id"])
    assert (command.command, command.payload, command.status) == ("set_max_speed", {"max_speed": 18}, "failed")


@pytest.mark.parametrize("path,body,field", [
    ("commands", {"command": "explode"}, "command"), ("commands", {}, "command"),
    ("max-speed", {"max_speed": 5}, "max_speed"), ("max-speed", {"max_speed": 46}, "max_speed"),
    ("max-speed", {"max_speed": "fast"}, "max_speed")])
def test_a_bad_command_names_its_field_and_sends_nothing(reported, admin_client, path, body, field):
    vehicle, _ = reported
    response = admin_client.post(f"/api/dashboard/v1/vehicles/{vehicle.pk}/{path}", body, format="json")
    assert response.status_code == 400 and field in response.json()["message"]["fields"]
    assert not IotCommand.objects.exists()


def test_a_decommissioned_vehicle_takes_no_command(reported, admin_client):
    vehicle, _ = reported
    vehicle.decommissioned_at = timezone.now()
    vehicle.save()
    response = admin_client.post(f"/api/dashboard/v1/vehicles/{vehicle.pk}/commands", {"command": "lock"},
                                 format="json")
    assert (response.status_code, response.json()["message"]["key"]) == (409, "vehicle.decommissioned")
    assert not IotCommand.objects.exists()


def test_listing_commands_costs_the_same_queries_for_any_page(reported, admin_client, django_assert_max_num_queries):
    vehicle, _ = reported
    from apps.fleet.commands import command_request

    for _ in range(30):
        command_request(vehicle=vehicle, command="ring", source="staff", deliver=False)
    with django_assert_max_num_queries(8):
        page = admin_client.get(COMMANDS, {"vehicle_id": vehicle.pk, "page_size": 25}).json()
    assert (len(page["data"]), page["total"]) == (25, 30)


def test_the_gateway_answers_commands_of_its_own_vehicles_only(reported, django_capture_on_commit_callbacks):
    vehicle, token = reported
    _, other_token = make_provider()
    from apps.fleet.commands import command_request

    with iot_faults(unlock="timeout"), django_capture_on_commit_callbacks(execute=True):
        command = command_request(vehicle=vehicle, command="unlock", source="staff")
    url = "/api/telemetry/v1/command-answers"
    answer = {"answers": [{"command": command.pk, "carried_out": True}, {"command": "x", "carried_out": True}]}
    refused = report(other_token, body=answer, url=url).json()["data"]
    assert refused["settled"] == 0 and "no command" in refused["rejected"][0]["reason"]
    command.refresh_from_db()
    assert command.status == "sent"
    settled = report(token, body=answer, url=url).json()["data"]
    assert (settled["settled"], [r["index"] for r in settled["rejected"]]) == (1, [1])
    command.refresh_from_db()
    assert command.status == "acknowledged"
