"""Riders join organizations from the app: by the enrolment token, or by an e-mail pattern matching theirs; by hand
where the organization approves its members."""
from decimal import Decimal

from apps.core.testing.clients import client_for
from apps.networks.tests.factories import make_network
from apps.organizations.models import EnrolmentRequest, OrganizationRule
from apps.organizations.tests.factories import make_organization
from apps.trips.tests.factories import make_rider

API = "/api/business-mobile/v1"


def _refused(response, code, status):
    body = response.json()
    assert (response.status_code, body.get("ErrorCode")) == (status, code), body
    return body


def _riding_in(organization, network):
    OrganizationRule.objects.create(organization=organization, network=network, start_dow=0, start_hod=0, end_dow=0,
                                    end_hod=0, paid_by_org_ratio=Decimal("0.5"), rule_name="All week",
                                    network_name=network.name)
    return organization


def test_a_rider_joins_by_his_email_where_the_pattern_matches_and_his_app_rides(db):
    network = make_network()
    acme = _riding_in(make_organization(name="Acme", email_pattern="%@acme.example"), network)
    _riding_in(make_organization(name="Other app", email_pattern="%@acme.example"), make_network())
    globex = _riding_in(make_organization(name="Globex", email_pattern="%@globex.example"), network)
    rider = make_rider(app_label=network.app_label, email="ada@acme.example")
    client = client_for(rider)
    joinable = client.get(f"{API}/organizations/joinable").json()["Data"]
    assert [o["OrganizationId"] for o in joinable] == [acme.pk]
    joined = client.post(f"{API}/organizations/{acme.pk}/join", {}, format="json").json()["Data"]
    assert joined == {"OrganizationId": acme.pk, "Name": "Acme", "Status": "member"}
    assert list(rider.organizations.all()) == [acme]
    _refused(client.post(f"{API}/organizations/{acme.pk}/join", {}, format="json"),
             "err_AlreadyMember", 409)
    assert client.get(f"{API}/organizations/joinable").json()["Data"] == []
    _refused(client.post(f"{API}/organizations/{globex.pk}/join", {}, format="json"),
             "err_OrganizationNotFound", 404)
    assert [o["Name"] for o in client.get(f"{API}/riders/me/organizations").json()["Data"]] == ["Acme"]


def test_a_rider_joins_by_token_and_waits_where_members_are_approved_by_hand(db):
    network = make_network()
    club = make_organization(name="Club", enable_enrolment_token=True, enrolment_token="JOIN-CLUB-42",
                             manual_approbation=True, enrolment_custom_field="Your member number?")
    make_organization(name="Closed", enable_enrolment_token=False, enrolment_token="CLOSED-1")
    rider = make_rider(app_label=network.app_label)
    client = client_for(rider)
    _refused(client.post(f"{API}/organizations/join", {"EnrolmentToken": "WRONG"}, format="json"),
             "err_OrganizationNotFound", 404)
    _refused(client.post(f"{API}/organizations/join", {"EnrolmentToken": "CLOSED-1"}, format="json"),
             "err_OrganizationNotFound", 404)
    asked = client.post(f"{API}/organizations/join", {"EnrolmentToken": "JOIN-CLUB-42", "Answer": "A-17"},
                        format="json").json()["Data"]
    assert asked == {"OrganizationId": club.pk, "Name": "Club", "Status": "pending"}
    request = EnrolmentRequest.objects.get()
    assert (request.organization, request.rider, request.custom_field_answer, request.status) == (
        club, rider, "A-17", "pending")
    assert not rider.organizations.exists()
    _refused(client.post(f"{API}/organizations/join", {"EnrolmentToken": "JOIN-CLUB-42"}, format="json"),
             "err_RequestPending", 409)
    assert client.get(f"{API}/riders/me/organizations").json()["Data"] == [asked]


def test_join_takes_bounded_input(db):
    rider = make_rider(app_label=make_network().app_label)
    client = client_for(rider)
    for bad in ({}, {"EnrolmentToken": ""}, {"EnrolmentToken": "x" * 33}, {"EnrolmentToken": "T", "Answer": "x" * 256}):
        _refused(client.post(f"{API}/organizations/join", bad, format="json"), "err_InvalidElement", 400)
    _refused(client.post(f"{API}/organizations/0/join", {}, format="json"), "err_InvalidElement", 400)
    _refused(client.post(f"{API}/organizations/999999/join", {}, format="json"), "err_OrganizationNotFound", 404)
    assert not EnrolmentRequest.objects.exists()
    _refused(client_for().get(f"{API}/riders/me/organizations"), "err_Generic", 401)
