"""The contract and access matrix of the Organizations operations, and what organizations pay of trips."""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.core.testing.responses import code, error_key, fields_of
from apps.networks.tests.factories import make_network, make_third_party
from apps.organizations.models import EnrolmentRequest, OrganizationRule
from apps.organizations.services import revoke_due_memberships
from apps.pricing.tests.factories import make_rule
from apps.riders.tests.factories import make_member
from apps.trips.services import trip_compute_cost
from apps.trips.tests.factories import make_trip

from .factories import make_organization

API = "/api/dashboard/v1/organizations"
RULE = {"start_dow": 1, "start_hod": "07:00:00", "end_dow": 1, "end_hod": "10:00:00", "paid_by_org_ratio": 0.75,
        "rule_name": "Monday mornings", "network_name": "Lyon"}


def _org_path():
    return {"id": make_organization().pk}


def _rule():
    organization = make_organization()
    network = make_network()
    rule = OrganizationRule.objects.create(organization=organization, network=network, start_dow=1, start_hod=0,
                                           end_dow=2, end_hod=0, paid_by_org_ratio=Decimal("1"), rule_name="Mondays",
                                           network_name=network.name)
    return organization, network, rule


def _enrolment():
    organization = make_organization(manual_approbation=True)
    return organization, EnrolmentRequest.objects.create(organization=organization, rider=make_member())


CASES = [
    OperationCase("listOrganizations", lambda: (make_organization(), Request())[1]),
    OperationCase("createOrganization", lambda: Request(body={
        "third_party_id": make_third_party().pk, "name": "ACME", "administrator_id": make_member().pk,
        "is_guarantor": False, "allow_outside_rules": True, "paid_outside_rules_ratio": 0.5,
        "only_show_matching_clusters": False, "pays_rule_overrun": False, "email_pattern": "%@acme.com"})),
    OperationCase("getOrganization", lambda: Request(path_params=_org_path())),
    OperationCase("updateOrganization", lambda: Request(path_params=_org_path(), body={
        "name": "ACME Corp", "only_show_matching_clusters": True, "description": "Offices in Lyon"})),
    OperationCase("listOrganizationRules", lambda: (lambda o, n, r: Request(path_params={"id": o.pk},
                                                                            query={"networks": str(n.pk)}))(*_rule())),
    OperationCase("createOrganizationRule", lambda: Request(path_params=_org_path(),
                                                            body={**RULE, "network_id": make_network().pk})),
    OperationCase("updateOrganizationRule", lambda: (lambda o, n, r: Request(
        path_params={"id": o.pk, "rid": r.pk}, body={**RULE, "network_id": n.pk}))(*_rule())),
    OperationCase("deleteOrganizationRule", lambda: (lambda o, n, r: Request(path_params={"id": o.pk, "rid": r.pk}))(
        *_rule())),
    OperationCase("updateOrganizationEnrolment", lambda: Request(path_params=_org_path(), body={
        "email_pattern": "%@acme.com", "reenrolment_frequency_in_days": 365, "manual_approbation": True,
        "enable_enrolment_token": True, "enrolment_custom_field": "Employee number"})),
    OperationCase("updateOrganizationAdministrator", lambda: Request(path_params=_org_path(),
                                                                     body={"administrator_id": make_member().pk})),
    OperationCase("updateOrganizationPayments", lambda: Request(path_params=_org_path(), body={
        "is_guarantor": True, "allow_outside_rules": True, "paid_outside_rules_ratio": 0.25,
        "pays_rule_overrun": False})),
    OperationCase("listOrganizationEnrolmentRequests", lambda: Request(path_params={"id": _enrolment()[0].pk})),
    OperationCase("answerOrganizationEnrolmentRequest", lambda: (lambda o, e: Request(
        path_params={"id": o.pk, "enrolment_id": e.pk}, body={"accept": True}))(*_enrolment())),
]

globals().update(contract_tests(CASES))

PARIS = ZoneInfo("Europe/Paris")


def _priced_trip(network, rider, started):
    trip = make_trip(network=network, rider=rider, started_at=started, ended_at=started + timedelta(minutes=20),
                     duration=1200)
    return trip_compute_cost(trip=trip)


def test_a_trip_inside_the_rules_is_billed_to_the_organization_outside_them_as_the_ratio_says(db):
    network = make_network(timezone="Europe/Paris")
    make_rule(network=network, unlock_price=Decimal("1"), use_per_minute_price=Decimal("0.25"),
              freefloat_lock_price=Decimal("0"))  # 20 minutes: 1 + 20 x 0.25 = 6.00
    organization = make_organization(allow_outside_rules=False, paid_outside_rules_ratio=Decimal("0.5"))
    OrganizationRule.objects.create(organization=organization, network=network, start_dow=1, start_hod=7 * 3600,
                                    end_dow=1, end_hod=10 * 3600, paid_by_org_ratio=Decimal("0.75"),
                                    rule_name="Monday mornings", network_name="Lyon")
    rider = make_member(network)
    organization.members.add(rider)
    monday_9 = datetime(2026, 5, 4, 9, 0, tzinfo=PARIS)  # a Monday, inside the window (Paris time)
    monday_11 = datetime(2026, 5, 4, 11, 0, tzinfo=PARIS)
    inside = _priced_trip(network, rider, monday_9)
    assert (inside.amount, inside.organization_id, inside.organization_amount) == (
        Decimal("6.00"), organization.pk, Decimal("4.50"))
    outside = _priced_trip(network, rider, monday_11)
    assert (outside.organization_id, outside.organization_amount) == (None, Decimal("0"))
    organization.allow_outside_rules = True
    organization.save()
    split = _priced_trip(network, rider, monday_11)
    assert (split.organization_id, split.organization_amount) == (organization.pk, Decimal("3.00"))
    stranger = _priced_trip(network, make_member(network), monday_9)
    assert stranger.organization_id is None


def test_enrolment_answers_and_revocation_on_the_day(admin_client):
    organization, request = _enrolment()
    url = f"{API}/{organization.pk}/enrolment-requests/{request.pk}"
    refused = admin_client.put(url, {"accept": False}, format="json")
    assert code(refused) == -2 and "reject_reason" in fields_of(refused)
    past = admin_client.put(url, {"accept": True, "revoke_at": "2020-01-01"}, format="json")
    assert code(past) == -2 and "revoke_at" in fields_of(past)
    revoke_at = (timezone.now() + timedelta(days=30)).date()
    assert code(admin_client.put(url, {"accept": True, "revoke_at": revoke_at.isoformat()}, format="json")) == 0
    assert error_key(admin_client.put(url, {"accept": True}, format="json")) == "enrolment.answered"
    assert organization.members.filter(pk=request.rider_id).exists()
    assert revoke_due_memberships(today=revoke_at - timedelta(days=1)) == 0
    assert revoke_due_memberships(today=revoke_at) == 1
    assert not organization.members.filter(pk=request.rider_id).exists()
    assert revoke_due_memberships(today=revoke_at) == 0  # idempotent


def test_an_enrolment_token_is_made_once(admin_client):
    organization = make_organization()
    body = {"email_pattern": "%@acme.com", "reenrolment_frequency_in_days": 365, "manual_approbation": False,
            "enable_enrolment_token": True, "enrolment_custom_field": None}
    admin_client.put(f"{API}/{organization.pk}/enrolment", body, format="json")
    token = admin_client.get(f"{API}/{organization.pk}").json()["data"]["enrolment_token"]
    admin_client.put(f"{API}/{organization.pk}/enrolment", body, format="json")
    assert token and admin_client.get(f"{API}/{organization.pk}").json()["data"]["enrolment_token"] == token


def test_a_shared_organizations_rules_of_another_network_are_out_of_reach(staff_user):
    """Staff of network A who manage an organization with rules in A and B change only A's rules: B's are not
    found, not moved into A, not deleted, and no rule is made or moved into B."""
    from apps.access.tests.factories import make_grant, make_unit
    from apps.core.testing.clients import client_for

    organization, theirs_network, theirs = _rule()
    ours_network = make_network()
    ours = OrganizationRule.objects.create(organization=organization, network=ours_network, start_dow=1, start_hod=0,
                                           end_dow=2, end_hod=0, paid_by_org_ratio=Decimal("1"), rule_name="Ours",
                                           network_name=ours_network.name)
    make_grant(staff_user, "organizations", write=True,
               unit=make_unit(networks=[ours_network], organizations=[organization]))
    client = client_for(staff_user)
    rules = f"{API}/{organization.pk}/rules"

    def state():
        return sorted(OrganizationRule.objects.values_list("pk", "network_id", "rule_name", "paid_by_org_ratio"))

    before = state()
    assert code(client.get(rules, {"networks": str(theirs_network.pk)})) == -4
    for body in ({**RULE, "network_id": ours_network.pk}, {**RULE, "network_id": theirs_network.pk}):
        assert code(client.put(f"{rules}/{theirs.pk}", body, format="json")) in (-4, -5)
    assert code(client.delete(f"{rules}/{theirs.pk}")) == -5
    assert code(client.put(f"{rules}/{ours.pk}", {**RULE, "network_id": theirs_network.pk}, format="json")) == -4
    assert code(client.post(rules, {**RULE, "network_id": theirs_network.pk}, format="json")) == -4
    assert state() == before
    listed = client.get(rules, {"networks": str(ours_network.pk)}).json()["data"]
    assert [rule["id"] for rule in listed] == [ours.pk]
    assert code(client.put(f"{rules}/{ours.pk}", {**RULE, "network_id": ours_network.pk}, format="json")) == 0
    assert OrganizationRule.objects.get(pk=ours.pk).rule_name == RULE["rule_name"]
    assert code(client.delete(f"{rules}/{ours.pk}")) == 0
    assert list(OrganizationRule.objects.values_list("pk", flat=True)) == [theirs.pk]
