"""Classes of input that once crashed a shared mechanism (issue 18): each answered as an error, never a 500."""
import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from apps.content.models import Language
from apps.core.management.commands.api_coverage import served_operations
from apps.core.testing.clients import client_for
from apps.core.testing.concurrency import at_once
from apps.core.testing.responses import code, error_key, fields_of
from apps.discounts.models import Discount
from apps.discounts.tests.factories import make_code, make_discount
from apps.networks.tests.factories import make_network
from apps.pricing.tests.factories import rule_body
from apps.trips.models import TripEvent, TripState
from apps.trips.tests.factories import make_trip

API = "/api/dashboard/v1"


def _concrete(path: str) -> str:
    return re.sub(r"\{\w+\}", "1", path)


def test_options_answers_every_served_path_without_a_server_error(admin_client):
    for (method, path), operation_id in served_operations().items():
        response = admin_client.options(_concrete(path))
        assert response.status_code in (200, 405), (operation_id, response.status_code, response.content[:300])


def test_options_on_a_put_path_describes_its_body(admin_client):
    response = admin_client.options(f"{API}/trips/1/billing-stop")
    assert response.status_code == 200
    assert "PUT" in response.json()["data"]["actions"]


@pytest.mark.parametrize("path", [f"{API}/auth/login", f"{API}/languages", "/api/business-mobile/v1/trips/apply-coupon"])
def test_deeply_nested_json_is_a_validation_error(path, superuser, db):
    body = "[" * 1000 + "]" * 1000
    anonymous = client_for().post(path, data=body, content_type="application/json")
    assert anonymous.status_code in (400, 401), (path, anonymous.status_code, anonymous.content[:200])
    response = client_for(superuser).post(path, data=body, content_type="application/json")
    assert response.status_code == 400, (path, response.status_code, response.content[:200])
    nested_object = '{"a":' * 40 + "1" + "}" * 40  # deeper than any operation takes
    response = client_for(superuser).post(f"{API}/languages", data=nested_object, content_type="application/json")
    assert response.status_code == 400 and code(response) == -2


def test_integers_beyond_their_column_are_named(admin_client):
    discount = make_discount()
    response = admin_client.post(f"{API}/discounts/{discount.pk}/codes",
                                 {"code": "BIG", "remaining": 2**31, "email_access_pattern": "%"}, format="json")
    assert code(response) == -2 and "remaining" in fields_of(response)
    assert not discount.codes.exists()


@pytest.mark.parametrize("amount", [Decimal("100000000"), Decimal("1E+76"), "1e76"])
def test_amounts_beyond_their_column_or_the_decimal_context_are_named(admin_client, amount):
    network = make_network()
    body = {"sponsoring_reward": amount, "sponsored_reward": 1}
    response = admin_client.put(f"{API}/networks/{network.pk}/sponsorship", body, format="json")
    assert response.status_code == 400 and code(response) == -2, response.content[:300]
    assert "sponsoring_reward" in fields_of(response)
    raw = '{"sponsoring_reward": 1e999999, "sponsored_reward": 1}'
    response = admin_client.put(f"{API}/networks/{network.pk}/sponsorship", raw, content_type="application/json")
    assert code(response) == -2 and "sponsoring_reward" in fields_of(response)


def test_discount_amount_beyond_its_column_is_named(admin_client):
    network = make_network()
    body = {"network_id": network.pk, "name": "Huge", "type": Discount.Type.NEXT_TRIP, "data": 10**8,
            "start_date": "2026-01-01", "request_end_date": None, "stop_date": None}
    response = admin_client.post(f"{API}/discounts", body, format="json")
    assert code(response) == -2 and "data" in fields_of(response)
    assert not Discount.objects.exists()


def test_empty_strings_are_checked_against_the_pattern(admin_client):
    response = admin_client.post(f"{API}/languages", {"iso_639_1": "", "name": "Nothing"}, format="json")
    assert code(response) == -2 and "iso_639_1" in fields_of(response)
    assert not Language.objects.filter(iso_639_1="").exists()
    network = make_network()
    response = admin_client.post(f"{API}/pricing", rule_body(network, start_hod=""), format="json")
    assert code(response) == -2 and "start_hod" in fields_of(response)


@pytest.mark.parametrize("end_date", ["9999-12-31", "0001-01-01"])
def test_dates_at_the_edge_of_the_calendar_are_refused(admin_client, end_date):
    network = make_network()
    response = admin_client.get(f"{API}/usage-stats", {"networks": network.pk, "start_date": "0001-01-01",
                                                       "end_date": end_date, "timezone": "Europe/Paris"})
    assert code(response) == -2, response.content[:300]


@pytest.mark.parametrize("networks", ["", ",", "1,,2", "1,"])
def test_required_list_given_empty_or_with_empty_items_is_refused(admin_client, networks):
    response = admin_client.get(f"{API}/trips", {"networks": networks})
    assert code(response) == -2 and "networks" in fields_of(response)


@pytest.mark.parametrize("value", [0, 1, "yes", "true", None])
def test_json_booleans_are_true_or_false_only(admin_client, value):
    from apps.applabels.tests.factories import make_app_label

    label = make_app_label()
    body = {"require_sms_validation": value, "phone_sms_provider_id": None, "require_terms_of_use": False,
            "auto_delete_users": False, "android_store_url": None, "ios_store_url": None,
            "saved_payment_method_is_optional": False, "website": None, "contact_email": None,
            "contact_phone_number": None}
    response = admin_client.put(f"{API}/app-labels/{label.pk}", body, format="json")
    assert code(response) == -2 and "require_sms_validation" in fields_of(response)


def test_path_ids_are_ascii_digits(admin_client):
    trip = make_trip()
    assert code(admin_client.get(f"{API}/trips/{trip.pk}")) == 0
    arabic = "".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in str(trip.pk))
    response = admin_client.get(f"{API}/trips/{arabic}")
    assert code(response) == -2 and "id" in fields_of(response)


def test_a_lost_unique_race_is_the_rules_error_not_a_500(admin_client):
    # The insert itself meets the unique key (no check before it): the handler maps the constraint to the key.
    Language.objects.create(iso_639_1="fr", name="Français")
    response = admin_client.post(f"{API}/languages", {"iso_639_1": "FR", "name": "French"}, format="json")
    assert response.status_code == 409 and error_key(response) == "language.already_exists"
    code_row = make_code(code="TAKEN")
    other = make_discount(network=code_row.discount.network)
    response = admin_client.post(f"{API}/discounts/{other.pk}/codes",
                                 {"code": "TAKEN", "remaining": 1, "email_access_pattern": "%"}, format="json")
    assert error_key(response) == "discount_code.code_taken"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_creates_of_one_language_give_one_row_and_one_rule_error(django_user_model):
    user = django_user_model.objects.create_superuser(email="race@example.com", password="x")

    def create():
        return client_for(user).post(f"{API}/languages", {"iso_639_1": "de", "name": "Deutsch"}, format="json")

    answers = at_once(*[create] * 4)
    assert sorted(r.status_code for r in answers) == [200, 409, 409, 409]
    assert {error_key(r) for r in answers if r.status_code == 409} == {"language.already_exists"}
    assert Language.objects.filter(iso_639_1="de").count() == 1


def test_amount_discounts_are_rounded_to_the_currency(admin_client):
    network = make_network()
    body = {"network_id": network.pk, "name": "Off", "type": Discount.Type.NEXT_TRIP, "data": Decimal("1.2345"),
            "start_date": "2026-01-01", "request_end_date": None, "stop_date": None}
    response = admin_client.post(f"{API}/discounts", body, format="json")
    assert code(response) == 0, response.content
    assert Discount.objects.get(pk=response.json()["data"]).data == Decimal("1.23")
    percent = {**body, "type": Discount.Type.TRIPS_PERCENT, "data": Decimal("12.345")}
    response = admin_client.post(f"{API}/discounts", percent, format="json")
    assert Discount.objects.get(pk=response.json()["data"]).data == Decimal("12.345")  # a rate, not money


def test_list_networks_shows_the_seed_indicators(admin_client):
    from apps.fleet.tests.factories import make_station, make_vehicle

    network = make_network()
    make_station()  # another network's: not counted here
    make_vehicle(network=network)
    make_vehicle(network=network, decommissioned_at=timezone.now())
    make_trip(network=network)
    row = next(n for n in admin_client.get(f"{API}/networks").json()["data"] if n["id"] == network.pk)
    # make_trip added a vehicle of its own
    assert row["indicators"] == {"stations": 0, "trips": 1, "vehicles": 2}


def test_a_running_trip_shows_the_time_ridden_so_far(admin_client):
    started = timezone.now() - timedelta(minutes=30)
    trip = make_trip(state=TripState.RUNNING, started_at=started)
    TripEvent.objects.create(trip=trip, type=TripEvent.Type.PAUSE, timestamp=started + timedelta(minutes=10))
    TripEvent.objects.create(trip=trip, type=TripEvent.Type.RESUME, timestamp=started + timedelta(minutes=15))
    detail = admin_client.get(f"{API}/trips/{trip.pk}").json()["data"]
    assert 25 * 60 - 5 <= detail["running_duration"] <= 25 * 60 + 5
    listed = admin_client.get(f"{API}/trips", {"networks": trip.network_id}).json()["data"]
    assert 25 * 60 - 5 <= listed[0]["running_duration"] <= 25 * 60 + 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_forgetting_a_stored_day_waits_for_a_refresh_of_the_network():
    from apps.trips import rollups

    network = make_network()
    started = timezone.now() - timedelta(days=10)
    holder_ready, release = threading.Event(), threading.Event()

    def hold_the_refresh_lock():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [rollups._LOCK_NAMESPACE, network.pk])
                holder_ready.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_refresh_lock)
    holder.start()
    assert holder_ready.wait(10)
    try:
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            rollups.forget(network.pk, started)
    finally:
        release.set()
        holder.join()


def test_the_database_refuses_negative_money_and_reversed_trips_named_by_the_handler(db):
    from django.db import IntegrityError

    from apps.core.exceptions import ValidationFailed, constraint_error
    from apps.pricing.tests.factories import make_rule

    rule = make_rule()
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        type(rule).objects.filter(pk=rule.pk).update(unlock_price=Decimal("-1"))  # past every service check
    error = constraint_error(raised.value)
    assert isinstance(error, ValidationFailed) and error.fields == {"unlock_price": ["Must not be negative."]}
    trip = make_trip()
    with pytest.raises(IntegrityError, match="trip_ends_after_start"), transaction.atomic():
        type(trip).objects.filter(pk=trip.pk).update(ended_at=trip.started_at - timedelta(minutes=1))
