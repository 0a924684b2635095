"""Every write of the riders' app API, on its success path, reads back what it saved (issue 37; the dashboard's
generated cases do the same: apps.core.testing.readback). Each case builds a valid request; the harness watches the
tables the request writes and compares the rows it saved with the body sent (PascalCase fields against their
snake_case columns), a delete's row gone or marked ended. A new write operation fails
`test_every_rider_write_has_a_case` until it has one here."""
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.commerce.models import Subscription, SubscriptionPrice
from apps.commerce.services import offer_create, pass_create
from apps.core.catalog import MOBILE_PREFIX, mobile_operations
from apps.core.testing.clients import client_for
from apps.core.testing.contract import Request
from apps.core.testing.readback import WriteWatch, assert_read_back
from apps.discounts.tests.factories import make_code, make_discount
from apps.organizations.models import OrganizationRule
from apps.organizations.tests.factories import make_organization
from apps.payments.providers import sandbox_faults
from apps.riders.models import RiderMessage
from apps.riders.tests.factories import make_payment_method
from apps.terms.models import TermsOfUse
from apps.trips.models import Reservation

from .factories import make_rider
from .test_lifecycle import HERE, _world

PASSWORD = "a long rider passphrase"
WRITES = sorted(op_id for op_id, op in mobile_operations().items() if op.write)


@dataclass
class RiderWrite:
    """A valid request of one write: who sends it (a rider, a client holding a token, or None: nobody logged in), and
    the request."""
    operation_id: str
    build: Callable[[], tuple]
    # Body fields kept in another form than sent (a password, a provider's token, an app label named by its name).
    not_stored: tuple[str, ...] = ()
    read_back: Callable | None = None
    operation: object = field(init=False)

    def __post_init__(self):
        self.operation = mobile_operations()[self.operation_id]


def _rider_with_password(network):
    rider = make_rider(app_label=network.app_label, email="ada@acme.example")
    rider.set_password(PASSWORD)
    rider.save()
    return rider


def _started(client, vehicle) -> str:
    response = client.post(f"{MOBILE_PREFIX}/trips/start", {"VehicleCode": vehicle.serial_number, **HERE},
                           format="json")
    assert response.status_code == 200, response.json()
    return response.json()["Data"]["Guid"]


def _trip(action: str):
    network, rider, card, vehicle = _world()
    guid = _started(client_for(rider), vehicle)
    if action == "resume":
        assert client_for(rider).post(f"{MOBILE_PREFIX}/trips/{guid}/pause").status_code == 200
    body = HERE if action == "end" else None
    return rider, Request(path_params={"guid": guid}, body=body)


def _debt():
    network, rider, card, vehicle = _world()
    client = client_for(rider)
    guid = _started(client, vehicle)
    with sandbox_faults(capture="decline"):
        client.post(f"{MOBILE_PREFIX}/trips/{guid}/end", HERE, format="json")
    return rider, Request(path_params={"guid": guid})


def _shop():
    network, rider, card, vehicle = _world()
    offer = offer_create(network=network, title="25 + 3 free", available=True, price=Decimal("25"),
                         given_amount=Decimal("28"))
    day = pass_create(network=network, title="Day pass", available=True, price=Decimal("5"), duration=3600,
                      validity="day")
    return rider, offer, day, network


def _bought_pass():
    rider, offer, day, network = _shop()
    assert client_for(rider).post(f"{MOBILE_PREFIX}/offers/{offer.pk}/buy").status_code == 200
    return rider, Request(path_params={"id": day.pk})


def _price():
    rider, offer, day, network = _shop()
    subscription = Subscription.objects.create(network=network, name="Commuter", trip_duration=1800)
    price = SubscriptionPrice.objects.create(subscription=subscription, price=Decimal("19.90"), interval_type="month",
                                             interval_count=1, free_credits=Decimal("2"))
    return rider, price


def _subscribed():
    rider, price = _price()
    subscribed = client_for(rider).post(f"{MOBILE_PREFIX}/subscription-prices/{price.pk}/subscribe")
    return rider, Request(path_params={"id": subscribed.json()["Data"]["Id"]})


def _joinable():
    network, rider, card, vehicle = _world()
    rider.email = "ada@acme.example"
    rider.save()
    acme = make_organization(name="Acme", email_pattern="%@acme.example", enrolment_custom_field="Badge?")
    OrganizationRule.objects.create(organization=acme, network=network, start_dow=0, start_hod=0, end_dow=0,
                                    end_hod=0, paid_by_org_ratio=Decimal("0.5"), rule_name="All week",
                                    network_name=network.name)
    return rider, Request(path_params={"id": acme.pk}, body={"Answer": "B-12"})


def _by_token():
    network, rider, card, vehicle = _world()
    make_organization(name="Club", enable_enrolment_token=True, enrolment_token="JOIN-CLUB-42",
                      manual_approbation=True, enrolment_custom_field="Your member number?")
    return rider, Request(body={"EnrolmentToken": "JOIN-CLUB-42", "Answer": "A-17"})


def _reset_code():
    network = _world()[0]
    rider = _rider_with_password(network)
    APIClient().post(f"{MOBILE_PREFIX}/riders/password/forgot",
                     {"AppLabel": network.app_label.name, "Email": rider.email}, format="json")
    url = RiderMessage.objects.get(template="password-reset").variables["reset_url"]
    return None, Request(body={"Code": re.search(r"code=(\S+)", url).group(1), "Password": "a new long passphrase"})


def _texted_code():
    from apps.riders.messaging import LocalSmsProvider

    network = _world()[0]
    phone = {"AppLabel": network.app_label.name, "PhoneNumber": "+33612345678"}
    APIClient().post(f"{MOBILE_PREFIX}/riders/phone/code", phone, format="json")
    code = re.search(r"\b(\d{6})\b", LocalSmsProvider.outbox[-1][1]).group(1)
    return None, Request(body={**phone, "Code": code})


def _cards():
    network, rider, card, vehicle = _world()
    second = make_payment_method(rider, is_default=False)
    return rider, second


def _terms():
    network, rider, card, vehicle = _world()
    TermsOfUse.objects.create(target_type="app_label", app_label=network.app_label, version=1,
                              published_at=timezone.now())
    return rider, Request(body={})


def _reserved():
    network, rider, card, vehicle = _world()
    reserved = client_for(rider).post(f"{MOBILE_PREFIX}/reservations", {"VehicleCode": vehicle.serial_number},
                                      format="json")
    return rider, Request(path_params={"id": reserved.json()["Data"]["Id"]})


def _coupon():
    network, rider, card, vehicle = _world()
    client = client_for(rider)
    guid = _started(client, vehicle)
    client.post(f"{MOBILE_PREFIX}/trips/{guid}/end", HERE, format="json")
    code = make_code(discount=make_discount(network=network, type=6, data=Decimal("50")), remaining=2)
    return rider, Request(body={"Trip": guid, "Coupon": code.code})


def _app_label_body(network, **more):
    return {"AppLabel": network.app_label.name, **more}


def _token_client() -> APIClient:
    """A rider's app logged in with a real token (logging out and refreshing act on it)."""
    network = _world()[0]
    rider = _rider_with_password(network)
    client = APIClient()
    logged = client.post(f"{MOBILE_PREFIX}/riders/login", _app_label_body(network, Email=rider.email,
                                                                           Password=PASSWORD), format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {logged.json()['Data']['Token']}")
    return client


def _logged_in(network=None):
    network = network or _world()[0]
    return _rider_with_password(network), network


RIDER_WRITES = [
    RiderWrite("signUpRider", lambda: (lambda n: (None, Request(body=_app_label_body(
        n, Email="new.rider@example.com", Password=PASSWORD, Firstname="Ada", Lastname="Lovelace",
        Language="fr"))))(_world()[0]), not_stored=("AppLabel", "Password")),
    RiderWrite("logInRider", lambda: (lambda r, n: (None, Request(body=_app_label_body(
        n, Email=r.email, Password=PASSWORD))))(*_logged_in()), not_stored=("AppLabel", "Password")),
    RiderWrite("logOutRider", lambda: (_token_client(), Request())),
    RiderWrite("refreshRiderToken", lambda: (_token_client(), Request())),
    RiderWrite("setRiderDefaultCard", lambda: (lambda r, c: (r, Request(path_params={"id": c.pk})))(*_cards())),
    RiderWrite("deleteRiderCard", lambda: (lambda r, c: (r, Request(path_params={"id": c.pk})))(*_cards())),
    RiderWrite("addRiderCard", lambda: (_world()[1], Request(body={"Token": "tok_mastercard"})),
               not_stored=("Token",)),
    RiderWrite("acceptRiderTerms", _terms),
    RiderWrite("updateRiderProfile", lambda: (_world()[1], Request(body={
        "Firstname": "Grace", "Lastname": "Hopper", "Language": "en"}))),
    RiderWrite("registerRiderDevice", lambda: (_world()[1], Request(body={
        "DeviceId": "device-123", "Platform": "ios", "Model": "iPhone 15", "OsVersion": "18.1", "AppVersion": 412,
        "PushToken": "apns-token-1"}))),
    RiderWrite("deleteRiderAccount", lambda: (lambda r, n: (r, Request(body={"Password": PASSWORD})))(*_logged_in()),
               not_stored=("Password",)),
    RiderWrite("buyOffer", lambda: (lambda r, o, d, n: (r, Request(path_params={"id": o.pk})))(*_shop())),
    RiderWrite("buyPass", _bought_pass),
    RiderWrite("joinOrganization", _joinable),
    RiderWrite("joinOrganizationByToken", _by_token, not_stored=("EnrolmentToken",)),
    RiderWrite("requestRiderPasswordReset", lambda: (lambda r, n: (None, Request(body=_app_label_body(
        n, Email=r.email))))(*_logged_in()), not_stored=("AppLabel",)),
    RiderWrite("resetRiderPassword", _reset_code, not_stored=("Code", "Password")),
    RiderWrite("requestRiderPhoneCode", lambda: (None, Request(body=_app_label_body(
        _world()[0], PhoneNumber="+33612345678"))), not_stored=("AppLabel",)),
    RiderWrite("verifyRiderPhoneCode", _texted_code, not_stored=("AppLabel", "Code")),
    RiderWrite("subscribeRider", lambda: (lambda r, p: (r, Request(path_params={"id": p.pk})))(*_price())),
    RiderWrite("cancelRiderSubscription", _subscribed),
    RiderWrite("startTrip", lambda: (lambda n, r, c, v: (r, Request(body={"VehicleCode": v.serial_number, **HERE})))(
        *_world()), not_stored=("VehicleCode",)),
    RiderWrite("pauseTrip", lambda: _trip("pause")),
    RiderWrite("resumeTrip", lambda: _trip("resume")),
    RiderWrite("endTrip", lambda: _trip("end")),
    RiderWrite("reserveVehicle", lambda: (lambda n, r, c, v: (r, Request(body={"VehicleCode": v.serial_number})))(
        *_world()), not_stored=("VehicleCode",)),
    RiderWrite("cancelReservation", _reserved,
               read_back=lambda request, body: Reservation.objects.get(pk=request.path_params["id"]).ended_at),
    RiderWrite("payTripDebt", _debt),
    RiderWrite("applyTripCoupon", _coupon, not_stored=("Trip", "Coupon")),
]


def test_every_rider_write_has_a_case():
    assert sorted(case.operation_id for case in RIDER_WRITES) == WRITES


@pytest.mark.parametrize("case", RIDER_WRITES, ids=lambda case: case.operation_id)
def test_a_rider_write_reads_back_what_it_saved(case, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rider, request = case.build()
    operation = case.operation
    path = operation.path
    for name, value in request.path_params.items():
        path = path.replace("{" + name + "}", str(value))
    client = rider if isinstance(rider, APIClient) else client_for(rider) if rider is not None else APIClient()
    watch = WriteWatch()
    with django_capture_on_commit_callbacks(execute=True):
        send = getattr(client, operation.method.lower())
        response = send(path, request.body, format="json") if request.body is not None else send(path)
    body = response.json()
    assert response.status_code == 200 and body["Result"] == "Ok", body
    assert_read_back(case, request, body, watch)


def test_a_rider_write_that_saves_nothing_fails_the_read_back(db):
    """The harness is not blind: an answer of success with nothing saved is caught."""
    case = next(case for case in RIDER_WRITES if case.operation_id == "updateRiderProfile")
    rider, request = case.build()
    watch = WriteWatch()
    with pytest.raises(AssertionError, match="wrote nothing"):
        assert_read_back(case, request, {"Result": "Ok"}, watch)



def test_a_session_without_a_token_has_none_to_refresh(db):
    """The browsable API's session reaches the riders' API with no token: refreshing is refused, not a crash."""
    response = client_for(_world()[1]).post(f"{MOBILE_PREFIX}/riders/token/refresh")
    assert (response.status_code, response.json()["ErrorCode"]) == (401, "err_Generic")
