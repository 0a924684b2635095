"""Reservations (a rider holds a vehicle for the network's reservation time) and the network's parking rules at the
end of a trip (no-parking zones, parking required, the out-of-zone fee), through the riders' app API."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.exceptions import ValidationFailed
from apps.core.testing.clients import client_for
from apps.core.testing.concurrency import at_once
from apps.fleet.tests.factories import make_cluster, make_vehicle
from apps.geofencing.models import NoParkingZone, VirtualParking
from apps.netconfig.models import NetworkSettings
from apps.netconfig.services import settings_update
from apps.payments.models import Transaction
from apps.payments.services import wallet_credit
from apps.riders.models import UserBlock
from apps.riders.tests.factories import make_payment_method
from apps.trips.models import Reservation, Trip, TripAdditionalCost, TripState
from apps.trips.tests.factories import make_rider

from .test_lifecycle import API, HERE, _refused, _start, _world

RESERVATIONS = "/api/business-mobile/v1/reservations"


def _reserve(client, vehicle, **headers):
    return client.post(RESERVATIONS, {"VehicleCode": vehicle.serial_number}, format="json", **headers)


def _second_rider(network):
    rider = make_rider(app_label=network.app_label)
    make_payment_method(rider, is_default=True)
    return rider


# --- reservations --------------------------------------------------------------------------------------------------
def test_a_reservation_holds_the_vehicle_from_other_riders_until_the_holder_starts_it(db):
    network, rider, card, vehicle = _world()
    other = _second_rider(network)
    client = client_for(rider)
    reserved = _reserve(client, vehicle)
    assert reserved.status_code == 200, reserved.json()
    data = reserved.json()["Data"]
    stored = Reservation.objects.get(pk=data["Id"])
    assert (data["VehicleCode"], data["NetworkId"], data["Status"]) == (vehicle.serial_number, network.pk, "active")
    assert (stored.rider, stored.vehicle, stored.ended_at) == (rider, vehicle, None)
    assert timedelta(seconds=599) <= stored.expires_at - stored.created_at <= timedelta(seconds=601)  # 10 min default
    assert client.get(f"{RESERVATIONS}/current").json()["Data"]["Id"] == stored.pk

    # Another rider: cannot reserve it, cannot start it, does not see it on the map; the holder still does.
    _refused(_reserve(client_for(other), vehicle), "err_VehicleReserved")
    _refused(_start(client_for(other), vehicle), "err_VehicleReserved")
    assert Trip.objects.count() == 0
    nearby = "/api/business-mobile/v1/vehicles/nearby"
    query = {"Latitude": 45.764, "Longitude": 4.8357}
    assert client_for(other).get(nearby, query).json()["Data"] == []
    assert [v["VehicleCode"] for v in client.get(nearby, query).json()["Data"]] == [vehicle.serial_number]

    # One reservation at a time.
    second_vehicle = make_vehicle(network=network, battery_level=80, latitude=Decimal("45.764"),
                                  longitude=Decimal("4.8357"))
    _refused(_reserve(client, second_vehicle), "err_AlreadyReserving")

    # The holder starts it: the reservation becomes the trip.
    started = _start(client, vehicle)
    assert started.status_code == 200, started.json()
    stored.refresh_from_db()
    assert (stored.outcome, stored.trip.guid.hex) == ("started", started.json()["Data"]["Guid"].replace("-", ""))
    assert client.get(f"{RESERVATIONS}/current").json().get("Data") is None


def test_starting_another_vehicle_gives_the_reservation_up_and_an_expired_one_holds_nothing(db):
    network, rider, card, vehicle = _world()
    other_vehicle = make_vehicle(network=network, battery_level=80, latitude=Decimal("45.764"),
                                 longitude=Decimal("4.8357"))
    client = client_for(rider)
    held = Reservation.objects.get(pk=_reserve(client, vehicle).json()["Data"]["Id"])
    assert _start(client, other_vehicle).status_code == 200
    held.refresh_from_db()
    assert (held.outcome, held.trip) == ("cancelled", None)
    assert _start(client_for(_second_rider(network)), vehicle).status_code == 200  # free again

    network, rider, card, vehicle = _world()
    reservation = Reservation.objects.get(pk=_reserve(client_for(rider), vehicle).json()["Data"]["Id"])
    Reservation.objects.filter(pk=reservation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_for(rider).get(f"{RESERVATIONS}/current").json().get("Data") is None
    assert _start(client_for(_second_rider(network)), vehicle).status_code == 200
    _refused(client_for(rider).delete(f"{RESERVATIONS}/{reservation.pk}"), "err_ReservationNotActive")


def test_a_rider_cancels_only_his_own_active_reservation(db):
    network, rider, card, vehicle = _world()
    reservation_id = _reserve(client_for(rider), vehicle).json()["Data"]["Id"]
    _refused(client_for(_second_rider(network)).delete(f"{RESERVATIONS}/{reservation_id}"),
             "err_ReservationNotFound", 404)
    assert Reservation.objects.get(pk=reservation_id).ended_at is None
    cancelled = client_for(rider).delete(f"{RESERVATIONS}/{reservation_id}")
    assert cancelled.json()["Data"]["Status"] == "cancelled"
    assert Reservation.objects.get(pk=reservation_id).outcome == "cancelled"
    _refused(client_for(rider).delete(f"{RESERVATIONS}/{reservation_id}"), "err_ReservationNotActive")
    _refused(client_for(rider).delete(f"{RESERVATIONS}/0"), "err_InvalidElement", 400)
    assert _reserve(client_for(_second_rider(network)), vehicle).status_code == 200  # free again


def test_reservation_refusals_in_their_order_change_nothing(db, superuser):
    network, rider, card, vehicle = _world()
    client = client_for(rider)
    _refused(client.post(RESERVATIONS, {}, format="json"), "err_InvalidElement", 400)
    _refused(client.post(RESERVATIONS, {"VehicleCode": "x" * 11}, format="json"), "err_InvalidElement", 400)
    _refused(client.post(RESERVATIONS, {"VehicleCode": "NOPE"}, format="json"), "err_VehicleNotFound", 404)
    block = UserBlock.objects.create(rider=rider, reason="test", blocked_at=timezone.now())
    _refused(_reserve(client, vehicle), "err_UserBlocked", 403)  # a rider rule before the network's setting
    block.delete()
    card.detached_at, card.is_default = card.created_at, False
    card.save()
    _refused(_reserve(client, vehicle), "err_NoPaymentMethod", 402)  # nothing to ride it with
    wallet_credit(rider=rider, amount=Decimal("5"), currency=network.currency, reason="Gift", actor=None)
    settings_update(network=network, reservation_duration=0)  # credits will do; the network's setting comes next
    _refused(_reserve(client, vehicle), "err_ReservationsOff")
    assert Reservation.objects.count() == 0
    _refused(client_for().post(RESERVATIONS, {"VehicleCode": vehicle.serial_number}, format="json"),
             "err_Generic", 401)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_riders_reserving_one_vehicle_make_one_reservation():
    network, rider, card, vehicle = _world()
    other = _second_rider(network)
    answers = at_once(lambda: _reserve(client_for(rider), vehicle), lambda: _reserve(client_for(other), vehicle))
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert [a.json().get("ErrorCode") for a in answers if a.status_code == 409] == ["err_VehicleReserved"]
    assert Reservation.objects.filter(vehicle=vehicle).count() == 1


# --- the network's parking rules at the end ------------------------------------------------------------------------
def _square(model, network, south, west, size=Decimal("0.002"), **fields):
    row = model(network=network, **fields)
    row.set_shape([[float(south), float(west)], [float(south + size), float(west)],
                   [float(south + size), float(west + size)], [float(south), float(west + size)]])
    row.save()
    return row


def test_no_trip_ends_in_a_no_parking_zone(db):
    network, rider, card, vehicle = _world()
    zone = _square(NoParkingZone, network, Decimal("45.763"), Decimal("4.835"), name="Place Bellecour")
    client = client_for(rider)
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    _refused(client.post(f"{API}/{guid}/end", HERE, format="json"), "err_NoParkingZone")
    assert Trip.objects.get(guid=guid).state == TripState.RUNNING
    zone.deleted_at = timezone.now()
    zone.save()
    assert client.post(f"{API}/{guid}/end", HERE, format="json").json()["Data"]["State"] == "finished"


def test_where_parking_is_required_a_trip_ends_in_a_parking_or_at_a_station_or_pays_the_fee(db):
    network, rider, card, vehicle = _world()
    settings_update(network=network, parking_required=True)
    client = client_for(rider)
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    _refused(client.post(f"{API}/{guid}/end", HERE, format="json"), "err_OutsideParking")
    assert Trip.objects.get(guid=guid).state == TripState.RUNNING

    parking = _square(VirtualParking, network, Decimal("45.763"), Decimal("4.835"), capacity=10)
    assert client.post(f"{API}/{guid}/end", HERE, format="json").json()["Data"]["State"] == "finished"
    parking.delete()

    # At a station: within its cluster's unlock distance.
    make_cluster(network=network, latitude=Decimal("45.764500"), longitude=Decimal("4.835700"),
                 max_unlock_distance=100)  # ~56 m away
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    assert client.post(f"{API}/{guid}/end", HERE, format="json").json()["Data"]["State"] == "finished"

    # Elsewhere, with a fee set: the end is accepted and the fee charged with the trip, outside its discounts.
    settings_update(network=network, out_of_zone_fee=Decimal("5.004"))
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    far = {"Latitude": 45.770, "Longitude": 4.8357}
    ended = client.post(f"{API}/{guid}/end", far, format="json").json()["Data"]
    trip = Trip.objects.get(guid=guid)
    fee = TripAdditionalCost.objects.get(trip=trip)
    assert (fee.type.key, fee.amount) == ("out-of-zone-fee", Decimal("5.00"))
    due = trip.amount - trip.discount_amount - trip.organization_amount + Decimal("5.00")
    assert Decimal(ended["AmountDue"]) == due
    assert Transaction.objects.filter(trip=trip, status="paid").get().amount_w_vat == due
    listed = client_for(rider).get(f"{API}/{guid}/additional-costs/list").json()["Data"]["Items"]
    assert [(Decimal(str(c["Amount"])), c["CostType"]) for c in listed] == [(Decimal("5.00"), 4)]  # relocation


def test_the_settings_are_bounded_by_their_columns_rules_and_named(db):
    network = _world()[0]
    for field, value in (("reservation_duration", 3601), ("out_of_zone_fee", Decimal("-1"))):
        with pytest.raises(ValidationFailed) as refused:
            settings_update(network=network, **{field: value})
        assert list(refused.value.fields) == [field]
    assert NetworkSettings.objects.filter(network=network, reservation_duration=3601).count() == 0


def test_staff_cancel_a_reservation_from_the_admin_through_the_service(db, superuser):
    from django.test import Client

    network, rider, card, vehicle = _world()
    reservation_id = _reserve(client_for(rider), vehicle).json()["Data"]["Id"]
    admin = Client()
    admin.force_login(superuser)
    changelist = "/admin/trips/reservation/"
    assert vehicle.serial_number in admin.get(changelist).content.decode()
    admin.post(changelist, {"action": "cancel_reservations", "_selected_action": [reservation_id],
                            "confirmed": "yes"}, follow=True)
    assert Reservation.objects.get(pk=reservation_id).outcome == "cancelled"
    done = admin.post(changelist, {"action": "cancel_reservations", "_selected_action": [reservation_id],
                                   "confirmed": "yes"}, follow=True)
    assert "already ended" in done.content.decode()  # the service's refusal, shown
    assert admin.get(f"{changelist}{reservation_id}/change/").status_code == 200


def test_a_start_that_fails_gives_the_rider_his_reservation_back(db):
    from apps.fleet.iot import iot_faults

    network, rider, card, vehicle = _world()
    client = client_for(rider)
    reservation_id = _reserve(client, vehicle).json()["Data"]["Id"]
    with iot_faults(unlock="timeout"):
        _refused(_start(client, vehicle), "err_UnlockFailed", 502)
    held = Reservation.objects.get(pk=reservation_id)
    assert (held.ended_at, held.outcome, held.trip) == (None, None, None)  # held for him again
    assert client.get(f"{RESERVATIONS}/current").json()["Data"]["Id"] == reservation_id
    _refused(_start(client_for(_second_rider(network)), vehicle), "err_VehicleReserved")
