"""Support reports: who sees them (their networks), the chat's rules, images, resolving and reopening."""
import pytest
from django.core.files.storage import default_storage

from apps.access.tests.factories import make_grant, make_unit
from apps.core.testing.clients import client_for
from apps.core.testing.contract import database_state
from apps.core.testing.responses import code, error_key, fields_of
from apps.fleet.tests.factories import image_upload
from apps.networks.tests.factories import make_network
from apps.riders.models import NetworkMembership
from apps.support.models import ReportMessage
from apps.support.services import message_send

from .factories import make_report

API = "/api/dashboard/v1/reports"


@pytest.fixture
def lyon(db):
    return make_network(name="Lyon")


@pytest.fixture
def agent(staff_user, lyon):
    make_grant(staff_user, "users.support", write=True, unit=make_unit(networks=[lyon]))
    return client_for(staff_user)


def test_reports_are_seen_through_their_networks(agent, lyon, admin_client):
    mine = make_report(network=lyon, subject="Mine")
    theirs = make_report(network=make_network(), subject="Theirs")
    listed = agent.get(API, {"networks": str(lyon.pk)}).json()
    assert [r["subject"] for r in listed["data"]] == ["Mine"] and listed["total"] == 1
    assert code(agent.get(f"{API}/{theirs.pk}")) == -5
    assert code(agent.get(f"{API}/{theirs.pk}/messages")) == -5
    assert code(agent.post(f"{API}/{theirs.pk}/resolve")) == -5
    # Linking a report to Lyon brings it into the agent's view; linking it to a network outside is refused.
    assert code(admin_client.post(f"{API}/{theirs.pk}/networks", {"network_id": lyon.pk}, format="json")) == 0
    assert code(agent.get(f"{API}/{theirs.pk}")) == 0
    outside = make_network()
    assert code(agent.post(f"{API}/{mine.pk}/networks", {"network_id": outside.pk}, format="json")) == -4
    assert NetworkMembership.objects.filter(rider=theirs.rider, network=lyon).exists()


def test_filters_and_archive(admin_client, lyon):
    open_one = make_report(network=lyon)
    closed = make_report(network=lyon)
    assert code(admin_client.post(f"{API}/{closed.pk}/resolve")) == 0
    assert error_key(admin_client.post(f"{API}/{closed.pk}/resolve")) == "report.resolved"
    current = admin_client.get(API, {"networks": str(lyon.pk), "archived": "false"}).json()["data"]
    archived = admin_client.get(API, {"networks": str(lyon.pk), "archived": "true"}).json()["data"]
    assert [r["id"] for r in current] == [open_one.pk] and [r["id"] for r in archived] == [closed.pk]
    assert archived[0]["archived"] is True
    by_email = admin_client.get(API, {"networks": str(lyon.pk), "email": open_one.rider.email.upper()}).json()
    assert [r["id"] for r in by_email["data"]] == [open_one.pk]


def test_a_support_message_reopens_a_resolved_report(admin_client, lyon):
    report = make_report(network=lyon)
    admin_client.post(f"{API}/{report.pk}/resolve")
    sent = admin_client.post(f"{API}/{report.pk}/messages", {"message": "One more thing", "page": "wallet"},
                             format="json")
    assert code(sent) == 0
    detail = admin_client.get(f"{API}/{report.pk}").json()["data"]
    assert detail["resolved_at"] is None and detail["message_count"] == 2
    messages = admin_client.get(f"{API}/{report.pk}/messages").json()["data"]
    assert [(m["from_support"], m["message"], m["page"]) for m in messages] == [
        (True, "One more thing", "wallet"), (False, "I tried three times at the station.", "")]


def test_only_the_support_teams_messages_are_edited_or_deleted(admin_client, lyon):
    report = make_report(network=lyon)
    riders = report.messages.get()
    ours = message_send(report=report, actor=None, message="Typo hre")
    url = f"{API}/{report.pk}/messages"
    assert error_key(admin_client.put(f"{url}/{riders.pk}", {"message": "Changed"}, format="json")) == \
        "report_message.from_rider"
    assert error_key(admin_client.delete(f"{url}/{riders.pk}")) == "report_message.from_rider"
    assert code(admin_client.put(f"{url}/{ours.pk}", {"message": "Typo here"}, format="json")) == 0
    ours.refresh_from_db()
    assert ours.message == "Typo here" and ours.edited_at is not None
    assert code(admin_client.delete(f"{url}/{ours.pk}")) == 0
    ours.refresh_from_db()
    assert ours.deleted_at is not None and ours.message == ""
    assert code(admin_client.delete(f"{url}/{ours.pk}")) == -5  # deleted once
    other = make_report(network=lyon)
    assert code(admin_client.put(f"{API}/{other.pk}/messages/{riders.pk}", {"message": "x"}, format="json")) == -5
    for bad in ("", "x" * 2001):
        refused = admin_client.put(f"{url}/{riders.pk}", {"message": bad}, format="json")
        assert code(refused) == -2 and "message" in fields_of(refused)


def test_images_are_validated_stored_and_removed_with_their_message(admin_client, lyon):
    report = make_report(network=lyon)
    url = f"{API}/{report.pk}/images"
    before = database_state()
    not_an_image = admin_client.post(url, {"chat_image": image_upload(fmt="GIF", name="a.gif")}, format="multipart")
    assert code(not_an_image) == -2 and "chat_image" in fields_of(not_an_image)
    assert database_state() == before
    assert code(admin_client.post(url, {"chat_image": image_upload()}, format="multipart")) == 0
    message = ReportMessage.objects.exclude(image_key="").get()
    assert default_storage.exists(message.image_key)
    shown = admin_client.get(f"{API}/{report.pk}/messages").json()["data"][0]
    assert shown["image_url"].endswith(message.image_key)
