"""A rider's lists in the riders' app hold exactly his own rows (issue 37; the dashboard's generated cases check a
unit grant the same way). The rider rides and buys through the HTTP API; his answers are taken; then a neighbour of
the same app label and a rider of another app label do the same in their networks; the rider's answers are the same,
row for row, and none of them is empty."""
from decimal import Decimal
from unittest.mock import patch

from django.utils import timezone

from apps.commerce.models import Subscription, SubscriptionPrice
from apps.commerce.services import offer_create, pass_create
from apps.core.catalog import MOBILE_PREFIX
from apps.core.testing.clients import client_for
from apps.fleet.tests.factories import make_vehicle
from apps.organizations.models import OrganizationRule
from apps.organizations.tests.factories import make_organization
from apps.riders.tests.factories import make_payment_method

from .factories import make_rider
from .test_lifecycle import HERE, _world

# The rider-owned reads, and what each is asked with.
OWN_READS = {
    "getRiderProfile": ("get", "/riders/me", None),
    "listRiderCards": ("get", "/riders/me/cards", None),
    "getRiderWallet": ("get", "/riders/me/wallet", None),
    "listRiderPasses": ("get", "/riders/me/passes", None),
    "listRiderOrganizations": ("get", "/riders/me/organizations", None),
    "listRiderInvoices": ("get", "/riders/me/invoices", None),
    "listRiderSubscriptions": ("get", "/riders/me/subscriptions", None),
    "getCurrentReservation": ("get", "/reservations/current", None),
    "listRiderNetworks": ("get", "/networks", None),
    "getTripHistory": ("post", "/trips/history", {"fromDate": None, "toDate": None}),
}


def _rides_and_buys(network, rider, vehicle, domain: str) -> None:
    """Everything a rider owns, made through the riders' API: a trip (history, invoice), an offer (wallet), a pass,
    a subscription, an organization, a reservation."""
    client = client_for(rider)
    offer = offer_create(network=network, title=f"Offer {domain}", available=True, price=Decimal("25"),
                         given_amount=Decimal("28"))
    day = pass_create(network=network, title=f"Day {domain}", available=True, price=Decimal("5"), duration=3600,
                      validity="day")
    subscription = Subscription.objects.create(network=network, name=f"Commuter {domain}", trip_duration=1800)
    price = SubscriptionPrice.objects.create(subscription=subscription, price=Decimal("19.90"), interval_type="month",
                                             interval_count=1)
    organization = make_organization(name=f"Org {domain}", email_pattern=f"%@{domain}")
    OrganizationRule.objects.create(organization=organization, network=network, start_dow=0, start_hod=0, end_dow=0,
                                    end_hod=0, paid_by_org_ratio=Decimal("0.5"), rule_name="All week",
                                    network_name=network.name)
    started = client.post(f"{MOBILE_PREFIX}/trips/start", {"VehicleCode": vehicle.serial_number, **HERE},
                          format="json").json()["Data"]["Guid"]
    calls = [client.post(f"{MOBILE_PREFIX}/trips/{started}/end", HERE, format="json"),
             client.post(f"{MOBILE_PREFIX}/offers/{offer.pk}/buy"),
             client.post(f"{MOBILE_PREFIX}/passes/{day.pk}/buy"),
             client.post(f"{MOBILE_PREFIX}/subscription-prices/{price.pk}/subscribe"),
             client.post(f"{MOBILE_PREFIX}/organizations/{organization.pk}/join", {}, format="json"),
             client.post(f"{MOBILE_PREFIX}/reservations", {"VehicleCode": vehicle.serial_number}, format="json")]
    assert [call.status_code for call in calls] == [200] * len(calls), [call.json() for call in calls]


def _answers(rider) -> dict:
    client = client_for(rider)
    answers = {}
    for operation_id, (method, path, body) in OWN_READS.items():
        response = getattr(client, method)(f"{MOBILE_PREFIX}{path}", body, format="json")
        assert response.status_code == 200, (operation_id, response.json())
        answers[operation_id] = response.json()["Data"]
    for invoice in answers["listRiderInvoices"]["Items"]:
        # A signed link, stamped when asked (its own clock): the invoice it names is what must not change.
        invoice["PdfUrl"] = invoice["PdfUrl"].rsplit("/", 1)[1].split(":")[0]
    return answers


def test_a_riders_lists_hold_his_rows_and_no_one_elses(db, django_capture_on_commit_callbacks):
    network, rider, card, vehicle = _world()
    rider.email = "ada@acme.example"
    rider.save()
    with django_capture_on_commit_callbacks(execute=True):
        _rides_and_buys(network, rider, vehicle, "acme.example")
    with patch("django.utils.timezone.now", return_value=timezone.now()):
        before = _answers(rider)
        assert all(before.values()), [name for name, data in before.items() if not data]
        # A neighbour of the same app label, in the same network on another vehicle; a rider of another app label.
        neighbour = make_rider(app_label=network.app_label, email="bob@globex.example")
        make_payment_method(neighbour, is_default=True)
        other_vehicle = make_vehicle(network=network, battery_level=80, latitude=vehicle.latitude,
                                     longitude=vehicle.longitude)
        elsewhere, stranger, _, their_vehicle = _world()
        stranger.email = "eve@initech.example"
        stranger.save()
        with django_capture_on_commit_callbacks(execute=True):
            _rides_and_buys(network, neighbour, other_vehicle, "globex.example")
            _rides_and_buys(elsewhere, stranger, their_vehicle, "initech.example")
        after = _answers(rider)
    assert after == before
