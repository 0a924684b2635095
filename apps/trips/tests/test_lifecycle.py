"""The trip lifecycle through the riders' app API: start (every check, in its documented order), pause, resume, end,
price and pay; the provider failures on the way; races on PostgreSQL; what a rider reaches."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.testing.clients import client_for
from apps.core.testing.concurrency import at_once
from apps.devtools.models import AppVersion
from apps.fleet.iot import iot_faults
from apps.fleet.models import IotCommand, Vehicle, VehicleModel
from apps.fleet.tests.factories import make_cluster, make_maintenance, make_station, make_vehicle
from apps.netconfig.models import NetworkAccessRule
from apps.networks.tests.factories import make_network
from apps.organizations.models import OrganizationRule
from apps.organizations.tests.factories import make_organization
from apps.payments.models import BankGuarantee, Invoice, Transaction, WalletEntry
from apps.payments.providers import sandbox_faults
from apps.payments.services import wallet_credit
from apps.pricing.tests.factories import make_rule
from apps.riders.models import RiderMessage, UserBlock
from apps.riders.tests.factories import make_payment_method
from apps.stocks.tests.factories import make_stock, store
from apps.terms.models import TermsAcceptance, TermsOfUse
from apps.trips.lifecycle import NEAREST, trip_end, trip_waive_debt
from apps.trips.models import PaymentStatus, Trip, TripEvent, TripState
from apps.trips.tests.factories import make_rider, make_trip

API = "/api/business-mobile/v1/trips"
HERE = {"Latitude": 45.764, "Longitude": 4.8357}


def _world(**network_fields):
    network = make_network(**network_fields)
    make_rule(network=network)  # 1.00 to unlock, 0.15 a minute, 0.50 to lock free-floating
    rider = make_rider(app_label=network.app_label)
    card = make_payment_method(rider, is_default=True)
    vehicle = make_vehicle(network=network, battery_level=80, latitude=Decimal("45.764000"),
                           longitude=Decimal("4.835700"))
    return network, rider, card, vehicle


def _start(client, vehicle, **extra):
    return client.post(f"{API}/start", {"VehicleCode": vehicle.serial_number, **HERE, **extra}, format="json")


def _refused(response, code: str, status: int = 409) -> dict:
    body = response.json()
    assert (response.status_code, body.get("ErrorCode")) == (status, code), body
    assert body["Result"] == "Error" and body["Message"]
    return body


def test_a_ride_from_start_to_paid_receipt(db, django_capture_on_commit_callbacks):
    network, rider, card, vehicle = _world()
    client = client_for(rider)
    started = _start(client, vehicle)
    assert started.status_code == 200, started.json()
    data = started.json()["Data"]
    assert (data["State"], data["VehicleCode"], data["PaymentStatus"]) == ("running", vehicle.serial_number,
                                                                           "pending")
    trip = Trip.objects.get(guid=data["Guid"])
    hold = BankGuarantee.objects.get(trip=trip)
    assert hold.amount == Decimal("150.00") and hold.released_at is None  # the network's guarantee, held
    assert IotCommand.objects.filter(vehicle=vehicle, command="unlock").exists()

    guid = data["Guid"]
    assert client.post(f"{API}/{guid}/pause").json()["Data"]["State"] == "on-hold"
    _refused(client.post(f"{API}/{guid}/pause"), "err_TripNotRunning")
    assert client.post(f"{API}/{guid}/resume").json()["Data"]["State"] == "running"

    with django_capture_on_commit_callbacks(execute=True):
        ended = client.post(f"{API}/{guid}/end", HERE, format="json")
    assert ended.status_code == 200, ended.json()
    receipt = ended.json()["Data"]
    trip.refresh_from_db()
    # The pricing engine's cost: 1.00 to unlock, 0.50 to lock free-floating, and each ridden or paused stretch
    # billed by the started minute (two ridden at 0.15, one paused at 0.05).
    assert (receipt["State"], receipt["PaymentStatus"], receipt["Amount"], receipt["AmountDue"]) == (
        "finished", "paid", "1.85", "1.85")
    assert client.get(f"{API}/{guid}").json()["Data"] == receipt  # read back as saved
    payment = Transaction.objects.get(trip=trip)
    assert (payment.status, payment.amount_w_vat) == ("paid", Decimal("1.8500"))
    assert Invoice.objects.filter(transaction=payment).exists()
    hold.refresh_from_db()
    assert hold.released_at is not None  # captured: the rest given back
    assert list(trip.events.values_list("type", flat=True)) == [
        TripEvent.Type.START, TripEvent.Type.UNLOCK, TripEvent.Type.PAUSE, TripEvent.Type.RESUME, TripEvent.Type.LOCK,
        TripEvent.Type.END]
    assert IotCommand.objects.filter(vehicle=vehicle, command="lock").exists()
    _refused(client.post(f"{API}/{guid}/end", HERE, format="json"), "err_TripAlreadyEnded")
    receipt_mail = RiderMessage.objects.get(rider=rider, template="trip-receipt")
    assert receipt_mail.status == RiderMessage.Status.SENT  # by the worker's task (eager in tests)
    assert (receipt_mail.variables["amount"], receipt_mail.variables["currency"]) == ("1.85", "EUR")


def test_every_start_rule_in_its_documented_order_and_a_refusal_changes_nothing(db, superuser):
    network, rider, card, vehicle = _world()
    client = client_for(rider)
    now = timezone.now()
    # Break every rule at once, then mend them one by one: each answer names the first rule still broken.
    block = UserBlock.objects.create(rider=rider, reason="fraud", blocked_at=now)
    terms = TermsOfUse.objects.create(target_type="app_label", app_label=network.app_label, version=1,
                                      published_at=now)
    AppVersion.objects.create(app_label=network.app_label, platform="ios", current=10, minimal=5)
    network.app_label.ios_store_url = "https://apps.apple.com/app/fleet"
    network.app_label.save()
    debt = make_trip(network=network, rider=rider, payment_status=PaymentStatus.FAILED)
    access = NetworkAccessRule.objects.create(network=network, email_pattern="%@acme.invalid")
    organization = make_organization()
    organization.members.add(rider)
    colleague = make_rider(app_label=network.app_label)
    organization.members.add(colleague)
    org_rule = OrganizationRule.objects.create(organization=organization, network=network, start_dow=0, start_hod=0,
                                               end_dow=0, end_hod=0, paid_by_org_ratio=Decimal("0"), max_vehicles=1,
                                               rule_name="All week", network_name=network.name)
    make_trip(network=network, rider=colleague, state=TripState.RUNNING, ended_at=None,
              vehicle=make_vehicle(network=network))
    own = make_trip(network=network, rider=rider, state=TripState.RUNNING, ended_at=None,
                    vehicle=make_vehicle(network=network))
    card.is_default = False
    card.save()
    other = make_trip(network=network, rider=make_rider(app_label=network.app_label), state=TripState.RUNNING,
                      ended_at=None, vehicle=vehicle)
    maintenance = make_maintenance(target=vehicle)
    entry = store(vehicle, make_stock(network=network))
    vehicle.decommissioned_at, vehicle.battery_level = now, 5
    cluster = make_cluster(network=network, max_unlock_distance=50)
    vehicle.spot = make_station(cluster=cluster).spots.first()
    vehicle.save()
    far = {"Latitude": 45.774, "Longitude": 4.8357}  # about 1.1 km north

    def mend_block():
        block.unblocked_at = timezone.now()
        block.save()

    def finish(trip):
        Trip.objects.filter(pk=trip.pk).update(state=TripState.FINISHED, ended_at=timezone.now())

    def undecommission():
        vehicle.decommissioned_at = None
        vehicle.save()

    def charge():
        vehicle.battery_level = 80
        vehicle.save()

    steps = [
        ("err_UserBlocked", 403, mend_block),
        ("err_TermsNotAccepted", 409, lambda: TermsAcceptance.objects.create(terms=terms, rider=rider)),
        ("err_AppTooOld", 426, None),  # mended by sending a newer version below
        ("err_DebtUnpaid", 402, lambda: trip_waive_debt(trip=debt, actor=superuser)),
        ("err_NetworkAccessDenied", 403, access.delete),
        ("err_OrganizationMaxVehicles", 409, lambda: OrganizationRule.objects.filter(pk=org_rule.pk).update(
            max_vehicles=3)),
        ("err_TooManyTrips", 409, lambda: finish(own)),
        ("err_NoPaymentMethod", 402, lambda: make_payment_method(rider, is_default=True)),
        ("err_VehicleOnTrip", 409, lambda: finish(other)),
        ("err_VehicleInMaintenance", 409, lambda: maintenance.__class__.objects.filter(pk=maintenance.pk).update(
            ended_at=timezone.now() - timedelta(seconds=1))),
        ("err_VehicleInStock", 409, entry.delete),
        ("err_VehicleDecommissioned", 409, undecommission),
        ("err_BatteryTooLow", 409, charge),
        ("err_TooFarFromVehicle", 409, None),  # mended by coming closer below
    ]
    version = {"AppPlatform": "ios", "AppVersion": 3}
    position = far
    for code, status, mend in steps:
        trips_before = Trip.objects.count()
        body = _refused(_start(client, vehicle, **{**version, **position}), code, status)
        assert Trip.objects.count() == trips_before, f"{code} left a trip behind"
        if code == "err_AppTooOld":
            assert body["StoreUrl"] == "https://apps.apple.com/app/fleet"
            version = {"AppPlatform": "ios", "AppVersion": 7}
        elif code == "err_TooFarFromVehicle":
            position = HERE
        else:
            mend()
    started = _start(client, vehicle, **version, **position)
    assert started.status_code == 200, started.json()
    vehicle.refresh_from_db()
    assert vehicle.spot_id is None  # unlocked, it left its dock
    assert Trip.objects.get(guid=started.json()["Data"]["Guid"]).start_cluster == cluster


def test_invalid_start_input_is_named_and_changes_nothing(db):
    network, rider, card, vehicle = _world()
    client = client_for(rider)
    cases = [({"Latitude": 45.7, "Longitude": 4.8}, "VehicleCode"),
             ({"VehicleCode": vehicle.serial_number, "Latitude": 91, "Longitude": 4.8}, "Latitude"),
             ({"VehicleCode": vehicle.serial_number, **HERE, "PaymentMode": "cash"}, "PaymentMode"),
             ({"VehicleCode": "X" * 11, **HERE}, "VehicleCode"),
             ({"VehicleCode": vehicle.serial_number, **HERE, "AppVersion": -1}, "AppVersion")]
    for body, field in cases:
        response = client.post(f"{API}/start", body, format="json")
        assert _refused(response, "err_InvalidElement", 400)["Message"].count(field) == 1, response.json()
    assert not Trip.objects.exists()


def test_a_failed_unlock_ends_the_trip_free_and_gives_the_hold_back(db):
    network, rider, card, vehicle = _world()
    with iot_faults(unlock="timeout"):
        _refused(_start(client_for(rider), vehicle), "err_UnlockFailed", 502)
    trip = Trip.objects.get()
    assert (trip.state, trip.payment_status) == (TripState.CANCELLED, PaymentStatus.NOT_TO_PAY)
    assert BankGuarantee.objects.get(trip=trip).released_at is not None
    assert not Transaction.objects.exists()
    assert _start(client_for(rider), vehicle).status_code == 200  # the vehicle is free again


def test_a_declined_guarantee_starts_nothing(db):
    network, rider, card, vehicle = _world()
    with sandbox_faults(authorize="decline"):
        _refused(_start(client_for(rider), vehicle), "err_PaymentDeclined", 402)
    assert Trip.objects.get().state == TripState.CANCELLED
    assert not BankGuarantee.objects.exists() and not IotCommand.objects.filter(command="unlock").exists()


def test_the_network_skips_the_guarantee_after_enough_trips(db):
    network, rider, card, vehicle = _world(trip_to_skip_pre_auth_guarantee=1)
    make_trip(network=network, rider=rider)
    assert _start(client_for(rider), vehicle).status_code == 200
    assert not BankGuarantee.objects.exists()


def test_a_declined_capture_is_a_debt_that_refuses_the_next_start_until_waived(db, superuser):
    network, rider, card, vehicle = _world()
    client = client_for(rider)
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    with sandbox_faults(capture="decline"):
        ended = client.post(f"{API}/{guid}/end", HERE, format="json").json()["Data"]
    assert (ended["State"], ended["PaymentStatus"]) == ("finished", "failed")
    assert not RiderMessage.objects.filter(template="trip-receipt").exists()  # a debt is not a receipt
    _refused(_start(client, vehicle), "err_DebtUnpaid", 402)
    trip_waive_debt(trip=Trip.objects.get(guid=guid), actor=superuser)
    assert Trip.objects.get(guid=guid).payment_status == PaymentStatus.NOT_TO_PAY
    assert _start(client, vehicle).status_code == 200


def test_a_wallet_trip_is_paid_from_the_wallet_without_a_guarantee(db):
    network, rider, card, vehicle = _world()
    wallet_credit(rider=rider, amount=Decimal("10"), currency=network.currency, reason="top-up", actor=None)
    client = client_for(rider)
    guid = _start(client, vehicle, PaymentMode="wallet").json()["Data"]["Guid"]
    assert not BankGuarantee.objects.exists()
    receipt = client.post(f"{API}/{guid}/end", HERE, format="json").json()["Data"]
    assert (receipt["PaymentMode"], receipt["PaymentStatus"]) == ("wallet", "paid")
    assert WalletEntry.objects.filter(kind="consumption").get().amount == -Decimal(receipt["AmountDue"])
    assert not Transaction.objects.exists()  # the credits were invoiced when bought


def test_a_rider_ends_only_inside_the_border_while_staff_end_anywhere(db, superuser):
    from apps.geofencing.models import NetworkBorder

    network, rider, card, vehicle = _world()
    border = NetworkBorder(network=network)
    border.set_shape([[45.70, 4.80], [45.80, 4.80], [45.80, 4.90], [45.70, 4.90]])
    border.save()
    client = client_for(rider)
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    outside = {"Latitude": 46.0, "Longitude": 4.8357}
    _refused(client.post(f"{API}/{guid}/end", outside, format="json"), "err_OutsideBorder")
    assert Trip.objects.get(guid=guid).state == TripState.RUNNING
    ended = trip_end(trip=Trip.objects.get(guid=guid), latitude=Decimal("46"), longitude=Decimal("4.8357"),
                     actor=superuser)
    assert (ended.state, ended.payment_status) == (TripState.FINISHED, PaymentStatus.PAID)


def test_a_rider_reaches_only_his_trips_and_his_app_labels_vehicles(db):
    network, rider, card, vehicle = _world()
    guid = _start(client_for(rider), vehicle).json()["Data"]["Guid"]
    stranger = make_rider(app_label=network.app_label)
    make_payment_method(stranger, is_default=True)
    for call in (lambda c: c.get(f"{API}/{guid}"), lambda c: c.post(f"{API}/{guid}/pause"),
                 lambda c: c.post(f"{API}/{guid}/end", HERE, format="json")):
        _refused(call(client_for(stranger)), "err_TripUserMismatch", 403)
    assert Trip.objects.get(guid=guid).state == TripState.RUNNING
    elsewhere, other_rider, _card, other_vehicle = _world()  # another app label's network
    _refused(_start(client_for(rider), other_vehicle), "err_VehicleNotFound", 404)
    _refused(client_for().post(f"{API}/start", {"VehicleCode": vehicle.serial_number, **HERE}, format="json"),
             "err_Generic", 401)


# --- races on PostgreSQL -----------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_riders_starting_one_vehicle_make_one_trip():
    network, rider, card, vehicle = _world()
    second = make_rider(app_label=network.app_label)
    make_payment_method(second, is_default=True)
    answers = at_once(lambda: _start(client_for(rider), vehicle), lambda: _start(client_for(second), vehicle))
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert [a.json().get("ErrorCode") for a in answers if a.status_code == 409] == ["err_VehicleOnTrip"]
    assert Trip.objects.filter(vehicle=vehicle).count() == 1
    assert BankGuarantee.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_riders_two_starts_at_once_keep_to_his_maximum_of_one_vehicle():
    # The second start waits on the rider's row; its checks must then see the first one's trip (they are read in a
    # statement of their own, after the locks, not in the lock's snapshot).
    network, rider, card, vehicle = _world()
    other = make_vehicle(network=network, battery_level=80, latitude=Decimal("45.764000"),
                         longitude=Decimal("4.835700"))
    answers = at_once(lambda: _start(client_for(rider), vehicle), lambda: _start(client_for(rider), other))
    assert sorted(a.status_code for a in answers) == [200, 409], [a.json() for a in answers]
    assert [a.json()["ErrorCode"] for a in answers if a.status_code == 409] == ["err_TooManyTrips"]
    assert Trip.objects.filter(rider=rider).count() == 1 and BankGuarantee.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_tap_with_one_idempotency_key_starts_and_ends_once():
    network, rider, card, vehicle = _world()
    start = lambda: client_for(rider).post(  # noqa: E731
        f"{API}/start", {"VehicleCode": vehicle.serial_number, **HERE}, format="json", HTTP_IDEMPOTENCY_KEY="tap-1")
    answers = [a for a in at_once(start, start)]
    guids = {a.json()["Data"]["Guid"] for a in answers if a.status_code == 200}
    assert len(guids) == 1 and Trip.objects.count() == 1, [a.json() for a in answers]
    guid = guids.pop()
    end = lambda: client_for(rider).post(  # noqa: E731
        f"{API}/{guid}/end", HERE, format="json", HTTP_IDEMPOTENCY_KEY="tap-2")
    ends = at_once(end, end)
    assert any(a.status_code == 200 for a in ends), [a.json() for a in ends]
    assert Transaction.objects.filter(trip__guid=guid, status="paid").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_end_racing_a_staff_end_ends_once_and_captures_once(django_user_model):
    network, rider, card, vehicle = _world()
    staff = django_user_model.objects.create_user(email="ops@example.com", password="x", is_staff=True)
    guid = _start(client_for(rider), vehicle).json()["Data"]["Guid"]
    trip = Trip.objects.get(guid=guid)

    def staff_end():
        try:
            return trip_end(trip=trip, actor=staff).state
        except Exception as exc:  # the other end won
            return getattr(exc, "mobile_code", repr(exc))

    answers = at_once(lambda: client_for(rider).post(f"{API}/{guid}/end", HERE, format="json"), staff_end)
    rider_answer, staff_answer = answers
    outcomes = {rider_answer.json().get("ErrorCode") or "ended", "ended" if staff_answer == "finished"
                else staff_answer}
    assert outcomes == {"ended", "err_TripAlreadyEnded"}, (rider_answer.json(), staff_answer)
    assert TripEvent.objects.filter(trip=trip, type=TripEvent.Type.END).count() == 1
    assert Transaction.objects.filter(trip=trip).count() == 1


def test_staff_end_a_riders_trip_and_waive_a_debt_from_the_admin_through_the_services(db, superuser):
    from django.test import Client
    from django.urls import reverse

    network, rider, card, vehicle = _world()
    guid = _start(client_for(rider), vehicle).json()["Data"]["Guid"]
    trip = Trip.objects.get(guid=guid)
    admin_client = Client()
    admin_client.force_login(superuser)
    changelist = reverse("admin:trips_trip_changelist")
    admin_client.post(changelist, {"action": "end_trips", "_selected_action": [trip.pk], "confirmed": "yes"})
    trip.refresh_from_db()
    assert (trip.state, trip.payment_status) == (TripState.FINISHED, PaymentStatus.PAID)
    assert trip.events.get(type=TripEvent.Type.END).additional_data == {"ended_by": superuser.email}
    assert not IotCommand.objects.filter(command="lock").exists()  # staff end where the vehicle is
    assert not trip.events.filter(type=TripEvent.Type.LOCK).exists()
    debt = make_trip(network=network, rider=rider, payment_status=PaymentStatus.FAILED)
    admin_client.post(changelist, {"action": "waive_debts", "_selected_action": [debt.pk, trip.pk],
                                   "confirmed": "yes"})
    debt.refresh_from_db()
    assert debt.payment_status == PaymentStatus.NOT_TO_PAY
    assert Trip.objects.get(pk=trip.pk).payment_status == PaymentStatus.PAID  # not a debt: refused, unchanged


def test_the_map_lists_the_vehicles_a_rider_can_start_nearest_first(db):
    network, rider, card, vehicle = _world()
    near = make_vehicle(network=network, battery_level=60, latitude=Decimal("45.765000"), longitude=Decimal("4.8357"))
    make_vehicle(network=network, battery_level=60, latitude=Decimal("45.800000"), longitude=Decimal("4.8357"))  # 4 km
    make_vehicle(network=network, battery_level=5, latitude=Decimal("45.764100"), longitude=Decimal("4.8357"))
    elsewhere = _world()[3]  # another app label's vehicle at the same place
    client = client_for(rider)
    query = {"Latitude": 45.764, "Longitude": 4.8357, "Radius": 500}
    listed = client.get(f"{API.rsplit('/', 1)[0]}/vehicles/nearby", query).json()["Data"]
    assert [v["VehicleCode"] for v in listed] == [vehicle.serial_number, near.serial_number]
    assert listed[1]["DistanceMeters"] == 111 and elsewhere.serial_number not in str(listed)
    _start(client, vehicle)
    listed = client.get(f"{API.rsplit('/', 1)[0]}/vehicles/nearby", query).json()["Data"]
    assert [v["VehicleCode"] for v in listed] == [near.serial_number]  # on a trip: no longer offered
    _refused(client.get(f"{API.rsplit('/', 1)[0]}/vehicles/nearby", {**query, "Radius": 9}), "err_InvalidElement",
             400)


def test_the_map_answers_its_nearest_vehicles_with_their_models_in_a_fixed_number_of_queries(
        db, django_assert_max_num_queries):
    network, rider, card, vehicle = _world()
    VehicleModel.objects.filter(name="E-Bike V3").update(max_range_meters=40_000)
    for n in range(NEAREST + 9):  # more than a map gets, of two models
        make_vehicle(network=network, battery_level=50, model_name="E-Bike V3" if n % 2 else "Scooter S",
                     latitude=Decimal("45.764000") + Decimal(n) / 100_000, longitude=Decimal("4.8357"))
    client = client_for(rider)
    with django_assert_max_num_queries(5):  # the token, the vehicles, their models, the access log
        listed = client.get(f"{API.rsplit('/', 1)[0]}/vehicles/nearby",
                            {"Latitude": 45.764, "Longitude": 4.8357, "Radius": 1000}).json()["Data"]
    assert len(listed) == NEAREST and listed[0]["VehicleCode"] == vehicle.serial_number
    assert [v["DistanceMeters"] for v in listed] == sorted(v["DistanceMeters"] for v in listed)
    stored = {v.serial_number: v for v in Vehicle.objects.select_related("model")}
    for answer in listed:
        model = stored[answer["VehicleCode"]].model
        assert answer["Model"] == model.name
        assert answer["RangeKm"] == (round(model.max_range_meters * answer["Battery"] / 100_000, 1)
                                     if model.max_range_meters else None)


def test_a_capture_the_provider_did_not_answer_ends_the_trip_and_reconciliation_marks_it_paid(db):
    from apps.payments.attempts import reconcile_pending
    from apps.payments.models import PaymentAttempt

    network, rider, card, vehicle = _world()
    client = client_for(rider)
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    with sandbox_faults(capture="timeout_after"):  # the provider captured; its answer was lost
        ended = client.post(f"{API}/{guid}/end", HERE, format="json")
    assert ended.status_code == 200, ended.json()
    assert (ended.json()["Data"]["State"], ended.json()["Data"]["PaymentStatus"]) == ("finished", "pending")
    capture = PaymentAttempt.objects.get(trip__guid=guid, operation="capture")
    assert reconcile_pending(only=[capture.pk])["succeeded"] == 1
    assert Trip.objects.get(guid=guid).payment_status == PaymentStatus.PAID
    assert Transaction.objects.filter(trip__guid=guid, status="paid").count() == 1


def test_a_lock_that_fails_or_a_pause_the_network_forbids_leaves_the_trip_going(db):
    from apps.netconfig.models import NetworkSettings

    network, rider, card, vehicle = _world()
    NetworkSettings.objects.create(network=network, trip_on_hold=False)
    client = client_for(rider)
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    _refused(client.post(f"{API}/{guid}/pause"), "err_PauseNotAllowed")
    _refused(client.post(f"{API}/{guid}/resume"), "err_TripNotPaused")
    with iot_faults(lock="unreachable"):
        _refused(client.post(f"{API}/{guid}/end", HERE, format="json"), "err_LockFailed", 502)
    trip = Trip.objects.get(guid=guid)
    assert (trip.state, trip.payment_status) == (TripState.RUNNING, PaymentStatus.PENDING)
    assert not Transaction.objects.exists() and BankGuarantee.objects.get(trip=trip).released_at is None
    assert client.post(f"{API}/{guid}/end", HERE, format="json").json()["Data"]["State"] == "finished"


def test_a_hold_the_provider_confirms_after_the_start_gave_up_is_given_back(db, django_capture_on_commit_callbacks):
    from apps.payments.attempts import reconcile_pending
    from apps.payments.models import PaymentAttempt

    network, rider, card, vehicle = _world()
    client = client_for(rider)
    with sandbox_faults(authorize="timeout_after"):  # the bank held it; the answer was lost
        _refused(_start(client, vehicle), "err_PaymentPending")
    trip = Trip.objects.get(vehicle=vehicle)
    assert (trip.state, trip.payment_status) == (TripState.CANCELLED, PaymentStatus.NOT_TO_PAY)  # free
    hold = PaymentAttempt.objects.get(trip=trip, operation="authorize")
    with django_capture_on_commit_callbacks(execute=True):
        assert reconcile_pending(only=[hold.pk])["succeeded"] == 1  # the provider says it held the guarantee
    guarantee = BankGuarantee.objects.get(trip=trip)
    assert guarantee.released_at is not None  # given back by the worker
    assert PaymentAttempt.objects.filter(guarantee=guarantee, operation="release", status="succeeded").count() == 1
    assert not Transaction.objects.exists()
    assert _start(client, vehicle).status_code == 200  # the rider rides on


def test_a_hold_confirmed_for_a_trip_under_way_stays_held(db, django_capture_on_commit_callbacks):
    network, rider, card, vehicle = _world()
    with django_capture_on_commit_callbacks(execute=True):
        guid = _start(client_for(rider), vehicle).json()["Data"]["Guid"]
    assert BankGuarantee.objects.get(trip__guid=guid).released_at is None  # its end captures it


def test_a_trip_costing_more_than_its_hold_is_paid_whole_on_the_card_in_one_payment(db):
    network, rider, card, vehicle = _world(default_vehicle_guarantee=Decimal("2"))
    client = client_for(rider)
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    Trip.objects.filter(guid=guid).update(started_at=timezone.now() - timedelta(minutes=20))  # 1 + 20 x 0.15 + 0.5
    ended = client.post(f"{API}/{guid}/end", HERE, format="json")
    assert ended.status_code == 200, ended.json()
    assert (ended.json()["Data"]["PaymentStatus"], ended.json()["Data"]["AmountDue"]) == ("paid", "4.65")
    payment = Transaction.objects.get(trip__guid=guid)  # one payment: the hold given back, the card charged
    assert (payment.status, payment.amount_w_vat) == ("paid", Decimal("4.65"))
    assert BankGuarantee.objects.get(trip__guid=guid).released_at is not None


def test_a_payment_the_provider_could_not_take_at_the_end_is_taken_again_by_the_worker_once(
        db, django_capture_on_commit_callbacks):
    from apps.payments.models import PaymentAttempt
    from apps.trips.tasks import retry_unpaid_ends

    network, rider, card, vehicle = _world(trip_to_skip_pre_auth_guarantee=0)  # no hold: the card is charged
    client = client_for(rider)
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    with sandbox_faults(charge="unavailable"):
        ended = client.post(f"{API}/{guid}/end", HERE, format="json").json()["Data"]
    assert (ended["State"], ended["PaymentStatus"]) == ("finished", "pending")  # ended; nothing charged
    assert PaymentAttempt.objects.get(trip__guid=guid).status == "voided"
    assert retry_unpaid_ends() == {}  # not before five minutes
    Trip.objects.filter(guid=guid).update(started_at=timezone.now() - timedelta(minutes=7),
                                          ended_at=timezone.now() - timedelta(minutes=6))
    with sandbox_faults(charge="unavailable"):
        assert retry_unpaid_ends() == {"pending": 1}  # still unreachable: waits for the next run
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_unpaid_ends.delay().get() == {"paid": 1}
    assert retry_unpaid_ends() == {}  # paid: nothing more
    assert Transaction.objects.filter(trip__guid=guid, status="paid").count() == 1
    assert PaymentAttempt.objects.filter(trip__guid=guid, status="voided").count() == 2
    assert RiderMessage.objects.get(rider=rider, template="trip-receipt").status == RiderMessage.Status.SENT


def test_a_stepped_write_without_an_idempotency_key_opens_no_claim_transaction(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    network, rider, card, vehicle = _world()
    client = client_for(rider)
    with CaptureQueriesContext(connection) as without_key:
        guid = _start(client, vehicle).json()["Data"]["Guid"]
    with CaptureQueriesContext(connection) as with_key:
        client.post(f"{API}/{guid}/end", HERE, format="json", HTTP_IDEMPOTENCY_KEY="end-1")
    claims = [q["sql"] for q in with_key if "idempotencyrecord" in q["sql"].lower()]
    assert claims  # a key is claimed in its own transaction...
    assert not [q for q in without_key if "idempotencyrecord" in q["sql"].lower()]
    # ...and without one the start's first statements are the rider's lock, with no empty savepoint before it.
    first = [q["sql"] for q in without_key][1:3]
    assert not any(sql.startswith("RELEASE SAVEPOINT") for sql in first), first
