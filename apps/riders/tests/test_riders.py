"""Riders as the support team works with them: membership of networks, the user list, blocking, messages, payment
methods, organizations, devices and the rider's history (issue 12)."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from apps.access.tests.factories import make_grant, make_unit
from apps.applabels.tests.factories import make_app_label
from apps.audit.models import AccessLog
from apps.core.testing.clients import client_for
from apps.core.testing.contract import database_state
from apps.core.testing.responses import code, error_key, fields_of
from apps.discounts.tests.factories import make_code, make_discount
from apps.networks.tests.factories import make_network
from apps.organizations.tests.factories import make_organization
from apps.payments.models import PaymentMethod
from apps.riders.models import NetworkMembership, RiderMessage, UserBlock
from apps.riders.services import rebuild_memberships
from apps.support.tests.factories import make_report
from apps.trips.tests.factories import make_rider, make_trip

from .factories import make_device, make_member, make_payment_method

API = "/api/dashboard/v1"
LIST = {"currency": "EUR", "timezone": "Europe/Paris", "without_network": "false"}


@pytest.fixture
def lyon(db):
    return make_network(name="Lyon")


@pytest.fixture
def agent(staff_user, lyon):
    """A support agent holding every riders key, with write, on Lyon only."""
    unit = make_unit(networks=[lyon])
    for key in ("users.list", "users.support", "users.block", "users.badges", "developer", "organizations"):
        make_grant(staff_user, key, write=True, unit=unit)
    return client_for(staff_user)


def users(client, **query):
    response = client.get(f"{API}/users", {**LIST, **query})
    assert code(response) == 0, response.content
    return response.json()


# --- membership --------------------------------------------------------------------------------------------
def test_a_trip_or_a_report_makes_the_rider_a_member_of_the_network(lyon):
    rider = make_rider()
    first = make_trip(network=lyon, rider=rider, started_at=timezone.now() - timedelta(days=3))
    make_trip(network=lyon, rider=rider, vehicle=first.vehicle, started_at=timezone.now() - timedelta(days=1))
    membership = NetworkMembership.objects.get(rider=rider, network=lyon)
    assert membership.trip_count == 2 and membership.first_activity_at == first.started_at
    other = make_network()
    make_report(network=other, rider=rider)
    assert NetworkMembership.objects.get(rider=rider, network=other).trip_count == 0
    rider.refresh_from_db()
    assert rider.last_activity >= membership.last_activity_at
    # A bulk load (demo, benchmarks) bypasses signals; the rebuild gives the same figures.
    NetworkMembership.objects.all().delete()
    rebuild_memberships()
    assert NetworkMembership.objects.get(rider=rider, network=lyon).trip_count == 2


# --- the user list -----------------------------------------------------------------------------------------
def test_the_list_filters_sorts_and_counts_over_the_networks_asked_for(admin_client, lyon):
    label = make_app_label(name="velolyon")
    busy = make_rider(email="busy@example.com", lastname="Martin", phone_number="+33611111111", app_label=label)
    quiet = make_rider(email="quiet@example.com", lastname="Durand")
    for _ in range(3):
        make_trip(network=lyon, rider=busy)
    make_trip(network=lyon, rider=quiet)
    make_trip(network=make_network(), rider=quiet)  # another network: not counted here
    make_organization(name="ACME Corp").members.add(quiet)
    UserBlock.objects.create(rider=busy, reason="Fraud", blocked_at=timezone.now())
    make_member(make_network())  # a rider of another network only

    page = users(admin_client, networks=str(lyon.pk))
    assert page["total"] == 2
    assert [(u["email"], u["trip_count"], u["blocked"]) for u in page["data"]] == [
        ("quiet@example.com", 1, False), ("busy@example.com", 3, True)]
    by_trips = users(admin_client, networks=str(lyon.pk), sort_by="trip_count")["data"]
    assert [u["email"] for u in by_trips] == ["busy@example.com", "quiet@example.com"]
    for query, expected in [({"email": "BUS"}, ["busy@example.com"]), ({"lastname": "dur"}, ["quiet@example.com"]),
                            ({"trip_count_min": 2}, ["busy@example.com"]), ({"blocked": "false"}, ["quiet@example.com"]),
                            ({"organization_name": "acme"}, ["quiet@example.com"]),
                            ({"label_name": "VELOLYON"}, ["busy@example.com"]), ({"phone_number": "0611"}, []),
                            ({"phone_number": "611111"}, ["busy@example.com"])]:
        listed = users(admin_client, networks=str(lyon.pk), **query)
        assert [u["email"] for u in listed["data"]] == expected, query
        assert listed["total"] == len(expected), query
    refused = admin_client.get(f"{API}/users", {**LIST, "networks": str(lyon.pk), "trip_count_min": 3,
                                               "trip_count_max": 1})
    assert code(refused) == -2 and "trip_count_max" in fields_of(refused)


def test_riders_of_no_network_need_a_global_grant(admin_client, agent, lyon):
    loner = make_rider(email="loner@example.com")
    assert [u["id"] for u in users(admin_client, networks=str(lyon.pk), without_network="true")["data"]] == [loner.pk]
    response = agent.get(f"{API}/users", {**LIST, "networks": str(lyon.pk), "without_network": "true"})
    assert code(response) == -4


def test_an_agent_on_one_network_never_sees_another_networks_riders(agent, lyon):
    mine = make_member(lyon, email="mine@example.com")
    theirs = make_member(make_network(name="Grenoble"), email="theirs@example.com")
    make_device(mine, device_id="phone-1")
    make_device(theirs, device_id="phone-1")  # the same phone on both accounts
    assert [u["email"] for u in users(agent, networks=str(lyon.pk))["data"]] == ["mine@example.com"]
    assert [u["email"] for u in agent.get(f"{API}/users/search", {"email": "example.com"}).json()["data"]] == [
        "mine@example.com"]
    for path in ("profile", "report", "block", "devices", "payment-methods", "last-actions", "mails",
                 "push-notifications", "badges", "api-requests"):
        assert code(agent.get(f"{API}/users/{theirs.pk}/{path}")) == -5, path
        assert code(agent.get(f"{API}/users/{mine.pk}/{path}")) == 0, path
    assert [u["email"] for u in agent.get(f"{API}/devices/phone-1/users").json()["data"]] == ["mine@example.com"]
    assert code(agent.post(f"{API}/users/{theirs.pk}/block", {"reason": "Nope"}, format="json")) == -5
    assert not UserBlock.objects.exists()


def test_the_profile_shows_memberships_organization_and_shared_devices(admin_client, lyon):
    rider = make_member(lyon, firstname="Camille")
    make_organization(name="ACME").members.add(rider)
    make_device(rider, device_id="shared")
    make_device(make_member(lyon), device_id="shared")
    profile = admin_client.get(f"{API}/users/{rider.pk}/profile").json()["data"]
    assert len(profile) == 1
    profile = profile[0]
    assert profile["organization"]["name"] == "ACME" and profile["networks"][0]["network"]["name"] == "Lyon"
    assert profile["shared_devices"] == [{"device_id": "shared", "platform": "android", "other_accounts": 1}]


# --- blocking ----------------------------------------------------------------------------------------------
def test_blocking_is_recorded_refuses_coupons_and_unblocking_restores(admin_client, superuser, lyon):
    trip = make_trip(network=lyon, started_at=timezone.now() - timedelta(hours=1))
    rider = trip.rider
    assert code(admin_client.post(f"{API}/users/{rider.pk}/block", {"reason": "Chargeback"}, format="json")) == 0
    again = admin_client.post(f"{API}/users/{rider.pk}/block", {"reason": "Again"}, format="json")
    assert error_key(again) == "user.already_blocked"
    info = admin_client.get(f"{API}/users/{rider.pk}/block").json()["data"]
    assert info["blocked"] and info["reason"] == "Chargeback" and info["blocked_by"]["id"] == superuser.pk

    coupon = make_code(discount=make_discount(network=lyon, type=6, data=Decimal("50")))
    mobile = client_for(rider)
    refused = mobile.post("/api/business-mobile/v1/trips/apply-coupon", {"Trip": str(trip.guid), "Coupon": coupon.code},
                          format="json")
    assert refused.status_code == 403 and refused.json()["ErrorCode"] == "err_UserBlocked"

    assert code(admin_client.delete(f"{API}/users/{rider.pk}/block")) == 0
    assert error_key(admin_client.delete(f"{API}/users/{rider.pk}/block")) == "user.not_blocked"
    applied = mobile.post("/api/business-mobile/v1/trips/apply-coupon", {"Trip": str(trip.guid), "Coupon": coupon.code},
                          format="json")
    assert applied.json() == {"Result": "Ok"}
    history = admin_client.get(f"{API}/users/{rider.pk}/block").json()["data"]
    assert not history["blocked"] and history["history"][0]["unblocked_by"]["id"] == superuser.pk
    # The mobile calls are in the access log, listed as the rider's API requests.
    requests = admin_client.get(f"{API}/users/{rider.pk}/api-requests").json()["data"]
    assert [r["api"] for r in requests] == ["mobile", "mobile"]
    assert not AccessLog.objects.filter(api="mobile", user_id=rider.pk).filter(target_path__startswith="/api/dash")


def test_block_reason_is_bounded(admin_client, lyon):
    rider = make_member(lyon)
    for reason in ("ab", "x" * 1001):
        response = admin_client.post(f"{API}/users/{rider.pk}/block", {"reason": reason}, format="json")
        assert code(response) == -2 and "reason" in fields_of(response)
    assert not UserBlock.objects.exists()


# --- messages ----------------------------------------------------------------------------------------------
def test_a_message_goes_through_the_riders_best_channel_after_commit(admin_client, lyon,
                                                                    django_capture_on_commit_callbacks):
    by_mail = make_member(lyon, email="mail@example.com")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert code(admin_client.post(f"{API}/users/{by_mail.pk}/messages", {"message": "Your refund is done."},
                                      format="json")) == 0
    assert not mail.outbox and RiderMessage.objects.get().status == "queued"  # nothing leaves before the commit
    for callback in pending:
        callback()
    assert [m.to for m in mail.outbox] == [["mail@example.com"]]
    sent = admin_client.get(f"{API}/users/{by_mail.pk}/mails").json()["data"]
    assert sent[0]["status"] == "sent" and sent[0]["provider_message_id"] and sent[0]["body"] == "Your refund is done."

    by_push = make_member(lyon)
    make_device(by_push, push_token="token-1")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"{API}/users/{by_push.pk}/messages", {"message": "Hello there"}, format="json")
    pushed = admin_client.get(f"{API}/users/{by_push.pk}/push-notifications").json()["data"]
    assert pushed[0]["status"] == "sent" and pushed[0]["provider_message_id"].startswith("local-push-")
    # The channel may be chosen; SMS without a phone number is recorded as failed, not retried forever.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"{API}/users/{by_push.pk}/messages", {"message": "By SMS", "channel": "sms"}, format="json")
    assert RiderMessage.objects.get(rider=by_push, channel="sms").status == "failed"
    before = database_state()
    for body in ({"message": "Hi"}, {"message": "x" * 1001}, {"message": "Hello", "channel": "fax"}):
        refused = admin_client.post(f"{API}/users/{by_push.pk}/messages", body, format="json")
        assert code(refused) == -2, body
    assert database_state() == before


# --- payment methods ---------------------------------------------------------------------------------------
def test_deleting_the_default_method_detaches_it_and_picks_the_newest_remaining(admin_client, lyon):
    rider = make_member(lyon)
    older = make_payment_method(rider)
    newer = make_payment_method(rider)
    default = make_payment_method(rider, is_default=True)
    assert code(admin_client.delete(f"{API}/users/{rider.pk}/payment-methods/{default.pk}")) == 0
    default.refresh_from_db()
    assert default.detached_at is not None and PaymentMethod.objects.filter(pk=default.pk).exists()
    assert PaymentMethod.objects.get(is_default=True).pk == newer.pk
    listed = admin_client.get(f"{API}/users/{rider.pk}/payment-methods").json()["data"]
    assert [m["id"] for m in listed[0]["methods"]] == [newer.pk, older.pk]
    assert code(admin_client.delete(f"{API}/users/{rider.pk}/payment-methods/{default.pk}")) == -5


def test_a_provider_outage_leaves_the_method_in_place(admin_client, lyon):
    rider = make_member(lyon)
    method = make_payment_method(rider, is_default=True, provider_reference="fail_pm_1")
    before = database_state()
    response = admin_client.delete(f"{API}/users/{rider.pk}/payment-methods/{method.pk}")
    assert error_key(response) == "payment_provider.unavailable"
    assert database_state() == before


# --- organizations -----------------------------------------------------------------------------------------
def test_a_rider_belongs_to_one_organization_replaced_only_with_force(admin_client, lyon):
    rider = make_member(lyon)
    first, second = make_organization(name="First"), make_organization(name="Second")
    url = f"{API}/users/{rider.pk}/organization"
    assert admin_client.post(url, {"organization": first.pk}, format="json").json()["data"]["name"] == "First"
    assert error_key(admin_client.post(url, {"organization": second.pk}, format="json")) == "user.has_organization"
    assert code(admin_client.post(url, {"organization": second.pk, "force": True}, format="json")) == 0
    assert list(rider.organizations.values_list("name", flat=True)) == ["Second"]
    assert code(admin_client.delete(url)) == 0
    assert error_key(admin_client.delete(url)) == "user.no_organization"


# --- history -----------------------------------------------------------------------------------------------
def test_last_actions_merge_trips_and_reports_newest_first_in_one_query(admin_client, lyon,
                                                                       django_assert_max_num_queries):
    rider = make_member(lyon)
    now = timezone.now()
    for hours in range(1, 8):
        make_trip(network=lyon, rider=rider, started_at=now - timedelta(hours=hours * 2))
    make_report(network=lyon, rider=rider)
    url = f"{API}/users/{rider.pk}/last-actions"
    with django_assert_max_num_queries(8):  # session, rights, the rider, the actions (one query), the log
        actions = admin_client.get(url).json()["data"]
    assert len(actions) == 10 and actions[0]["type"] == "report"
    dates = [a["date"] for a in actions]
    assert dates == sorted(dates, reverse=True)
    older = admin_client.get(url, {"before_date": actions[-1]["date"]}).json()["data"]
    assert len(older) == 5 and all(a["date"] < actions[-1]["date"] for a in older)


def test_user_lists_cost_a_fixed_number_of_queries(admin_client, lyon, django_assert_max_num_queries):
    for n in range(15):
        rider = make_member(lyon, email=f"rider{n}@example.com")
        make_organization().members.add(rider)
    with django_assert_max_num_queries(8):
        assert len(users(admin_client, networks=str(lyon.pk))["data"]) == 15
    with django_assert_max_num_queries(7):
        assert len(admin_client.get(f"{API}/users/search", {"email": "rider"}).json()["data"]) == 15
