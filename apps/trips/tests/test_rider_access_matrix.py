"""The riders' app API's access matrix, generated from the catalog: every operation that is not public refuses a
request without a rider's token; every operation whose path names an object reaches only the rider's own (another
rider's card, trip, reservation or subscription) and only his app label's (another app's network, offer, pass,
subscription or organization), answering its not-found (or not-yours) code and changing nothing. A new operation with
a path object fails `test_every_path_object_has_a_case` until it has a row here."""
import uuid
from decimal import Decimal

import pytest

from apps.commerce.models import RiderSubscription, Subscription, SubscriptionPrice
from apps.commerce.services import offer_create, pass_create
from apps.core.catalog import mobile_operations
from apps.core.testing.clients import client_for
from apps.organizations.tests.factories import make_organization
from apps.riders.tests.factories import make_payment_method
from apps.trips.models import PaymentStatus, Reservation, TripState
from apps.trips.tests.factories import make_rider, make_trip

from .test_lifecycle import _world

OPERATIONS = mobile_operations()
PROTECTED = sorted(op_id for op_id, op in OPERATIONS.items() if op.access != "public")
DUMMY = {"guid": str(uuid.uuid4()), "id": "1", "token": "x" * 12}
# Required body fields that "x" does not satisfy (the token is checked first anyway; an object's owner after them).
VALID = {"Latitude": 45.764, "Longitude": 4.8357, "Platform": "ios", "Trip": str(uuid.uuid4())}


def _url(operation, **values) -> str:
    path = operation.path
    for param in operation.params:
        if param.location == "path":
            path = path.replace("{" + param.name + "}", str(values.get(param.name, DUMMY[param.name])))
    return path


def _call(client, operation, **values):
    """The operation called with its required body fields valid: what answers is the access rule, not validation."""
    url = _url(operation, **values)
    method = operation.method.lower()
    body = {p.name: VALID.get(p.name, "x") for p in operation.params if p.location == "body" and p.required}
    return getattr(client, method)(url, body, format="json") if method != "get" else client.get(url)


@pytest.mark.parametrize("operation_id", PROTECTED)
def test_without_a_riders_token_nothing_is_reached(db, operation_id):
    response = _call(client_for(), OPERATIONS[operation_id])
    assert (response.status_code, response.json().get("ErrorCode")) == (401, "err_Generic"), operation_id


def _others_objects():
    """Objects of another rider of the same app label (B), and of another app label (C), each with what an operation
    names it by."""
    network, rider, card, vehicle = _world()
    neighbour = make_rider(app_label=network.app_label)
    neighbours_card = make_payment_method(neighbour, is_default=True)
    neighbours_trip = make_trip(network=network, rider=neighbour, vehicle=vehicle, state=TripState.FINISHED,
                                payment_status=PaymentStatus.FAILED)
    reservation = Reservation.objects.create(network=network, rider=neighbour, vehicle=vehicle,
                                             expires_at=neighbours_trip.started_at)
    elsewhere = _world()[0]  # another app label's network
    sold = Subscription.objects.create(network=elsewhere, name="Elsewhere", trip_duration=600)
    price = SubscriptionPrice.objects.create(subscription=sold, price=Decimal("9"), interval_type="month",
                                             interval_count=1)
    subscription = RiderSubscription.objects.create(rider=neighbour, network=network, subscription=sold, price=price)
    offer = offer_create(network=elsewhere, title="Elsewhere", available=True, price=Decimal("5"),
                         given_amount=Decimal("5"))
    offered = pass_create(network=elsewhere, title="Elsewhere", available=True, price=Decimal("1"), duration=60,
                          validity="day")
    organization = make_organization(name="Not joinable", email_pattern="%@elsewhere.example")
    return rider, {"card": neighbours_card.pk, "trip": neighbours_trip.guid, "reservation": reservation.pk,
                   "subscription": subscription.pk, "network": elsewhere.pk, "offer": offer.pk, "pass": offered.pk,
                   "price": price.pk, "organization": organization.pk}


# operation -> (what its path names, the expected answer): the rider's own objects, then his app label's.
PATH_OBJECT_CASES = {
    "setRiderDefaultCard": ("card", 404, "err_CardNotFound"),
    "deleteRiderCard": ("card", 404, "err_CardNotFound"),
    "getRiderTrip": ("trip", 403, "err_TripUserMismatch"),
    "pauseTrip": ("trip", 403, "err_TripUserMismatch"),
    "resumeTrip": ("trip", 403, "err_TripUserMismatch"),
    "endTrip": ("trip", 403, "err_TripUserMismatch"),
    "payTripDebt": ("trip", 403, "err_TripUserMismatch"),
    "listTripAdditionalCosts": ("trip", 403, "err_TripUserMismatch"),
    "cancelReservation": ("reservation", 404, "err_ReservationNotFound"),
    "cancelRiderSubscription": ("subscription", 404, "err_SubscriptionNotFound"),
    "listNetworkStations": ("network", 404, "err_NetworkNotFound"),
    "getNetworkGeofencing": ("network", 404, "err_NetworkNotFound"),
    "getNetworkCatalogue": ("network", 404, "err_NetworkNotFound"),
    "buyOffer": ("offer", 404, "err_OfferNotFound"),
    "buyPass": ("pass", 404, "err_PassNotFound"),
    "subscribeRider": ("price", 404, "err_SubscriptionNotFound"),
    "joinOrganization": ("organization", 404, "err_OrganizationNotFound"),
}
# Path objects a token cannot own: the signed invoice link is its own proof (test_rider_invoices).
NOT_OWNED = {"getRiderInvoicePdf"}


def test_every_path_object_has_a_case():
    with_path_objects = {op_id for op_id, op in OPERATIONS.items() if any(p.location == "path" for p in op.params)}
    assert with_path_objects - NOT_OWNED == set(PATH_OBJECT_CASES)


@pytest.mark.parametrize("operation_id", sorted(PATH_OBJECT_CASES))
def test_another_riders_or_another_apps_object_is_not_reached(db, operation_id):
    from apps.payments.models import PaymentAttempt, Transaction

    rider, objects = _others_objects()
    operation = OPERATIONS[operation_id]
    kind, status, code = PATH_OBJECT_CASES[operation_id]
    name = next(p.name for p in operation.params if p.location == "path")
    response = _call(client_for(rider), operation, **{name: objects[kind]})
    body = response.json()
    assert (response.status_code, body.get("ErrorCode")) == (status, code), (operation_id, body)
    assert not Transaction.objects.exists() and not PaymentAttempt.objects.exists()
    assert RiderSubscription.objects.get(pk=objects["subscription"]).cancel_at_period_end is False
    assert Reservation.objects.get(pk=objects["reservation"]).ended_at is None
    assert not rider.organizations.exists()
