"""The trip lifecycle: a rider starts a vehicle, pauses, resumes and ends the trip, which is priced and paid.

Every step that calls a provider (the payment provider's hold and capture, the IoT provider's unlock and lock) does it
between two commits, never inside a database transaction (apps.payments.attempts, apps.fleet.iot):

- **start**: (1) one transaction: the rider's row then the vehicle's row locked, the checks below in their order,
  the trip created `running` with its START event; (2) the guarantee held on the rider's card, unless the network
  skips it for this rider; (3) the unlock, within IOT_UNLOCK_TIMEOUT. A declined hold or a failed unlock cancels the
  trip free of charge and gives the hold back.
- **end**: (1) the lock (a rider's end; staff end a trip where the vehicle is, without it); (2) one transaction: the
  trip's row locked, still under way (else `err_TripAlreadyEnded`: an end racing another ends it once), the network's
  position rules, the trip finished and priced by the pricing engine (discounts, coupon, organization share); (3) the
  rider's part paid: from the wallet, or captured on the hold, or charged on the card (the whole, the hold given
  back, when it exceeds the hold: a trip has one payment). A declined
  payment leaves the trip `failed`: a debt that refuses the rider's next start until paid or waived.

The start checks, in this order (docs/rider-api.md gives each ErrorCode and HTTP status):
 0. the code names a vehicle of a network of the rider's app label    err_VehicleNotFound
 1. the rider is not blocked                                            err_UserBlocked
 2. the rider accepted the current terms of the app label and network  err_TermsNotAccepted
 3. the app is not older than its minimal version                      err_AppTooOld (with the store's URL)
 4. no trip of the rider is left unpaid                                err_DebtUnpaid
 5. the network's access rules admit the rider                         err_NetworkAccessDenied
 6. the rider's organization is under its maximum of vehicles          err_OrganizationMaxVehicles
 7. the rider is under the network's maximum of vehicles at once       err_TooManyTrips
 8. the rider has a way to pay (a card, or credits in the wallet)      err_NoPaymentMethod
 9. the vehicle is available: not on a trip, not reserved by another rider, not in maintenance, not in a stock,
    not decommissioned, charged enough                                  err_VehicleOnTrip, err_VehicleReserved,
                                                                       err_VehicleInMaintenance, err_VehicleInStock,
                                                                       err_VehicleDecommissioned, err_BatteryTooLow
10. the rider stands within the cluster's unlock distance              err_TooFarFromVehicle
"""
from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation, Refused, on_constraint
from apps.core.geo import distance_m, path_length_m
from apps.core.prepared import PreparedQuery
from apps.devtools.selectors import check_app_version
from apps.fleet.commands import command_execute
from apps.fleet.iot import IotFailure
from apps.fleet.models import Cluster, Maintenance, Vehicle, VehicleModel
from apps.netconfig.selectors import access_rules_admitting, settings_of
from apps.organizations.models import Organization, OrganizationRule
from apps.organizations.services import rule_in_force
from apps.payments.attempts import PaymentPending
from apps.payments.models import BankGuarantee, Invoice, PaymentAttempt, PaymentMethod, Transaction, Wallet
from apps.payments.services import (
    guarantee_capture,
    guarantee_hold,
    guarantee_release,
    payment_charge,
    wallet_balance,
    wallet_consume,
)
from apps.netconfig.models import NetworkAccessRule, NetworkSettings, VehicleModelGuarantee
from apps.payments.invoices import invoice_link
from apps.riders.models import Device, RiderMessage, UserBlock
from apps.riders.tasks import send_rider_messages

from .routes import trip_route
from .models import (AdditionalCostType, PaymentMode, PaymentStatus, Reservation, Trip, TripAdditionalCost, TripEvent,
                     TripState)
from .coverage import COVERAGE_FIELDS, cover_trip
from .services import COST_FIELDS, PAUSE_EVENTS, trip_compute_cost, trip_segments
from .tasks import release_hold

UNDER_WAY = (TripState.RUNNING, TripState.ON_HOLD)
OUT_OF_ZONE_FEE = "out-of-zone-fee"  # the additional cost type of the fee charged with the trip
Source = TripEvent.Source


class TripRefused(Refused):
    """A rule refused a trip step: `mobile_code` is the rider API's ErrorCode; the dashboard sees key `trip.<code>`."""

    def __init__(self, mobile_code: str, text: str, *, http_status: int = 409, **details):
        super().__init__(mobile_code, text, http_status=http_status, area="trip", **details)


on_constraint(lambda: TripRefused("err_VehicleOnTrip", "This vehicle is already on a trip."),
              name="one_trip_under_way_per_vehicle")


# --- start -------------------------------------------------------------------------------------------------------
def trip_start(*, rider, vehicle_code: str, latitude: Decimal, longitude: Decimal,
               payment_mode: str = PaymentMode.CARD, app_platform: str | None = None,
               app_version: int | None = None, start_key: str | None = None) -> Trip:
    """Start a trip on the vehicle named by `vehicle_code` (its serial number) for `rider`, standing at
    (`latitude`, `longitude`), paying by card or wallet. Returns the trip as stored, unlocked and running.
    `start_key` names the request (its Idempotency-Key claim): the same request again returns the same trip."""
    trip, created = _open_trip(rider=rider, vehicle_code=vehicle_code, latitude=latitude, longitude=longitude,
                               payment_mode=payment_mode, app_platform=app_platform, app_version=app_version,
                               start_key=start_key)
    if not created:
        return Trip.objects.select_related("network__currency", "vehicle").get(pk=trip.pk)
    hold = None
    if _needs_hold(trip):
        hold = _hold_guarantee(trip)
    _unlock(trip, hold)
    return Trip.objects.select_related("network__currency", "vehicle").get(pk=trip.pk)  # as stored, unlocked


@transaction.atomic
def _open_trip(*, rider, vehicle_code, latitude, longitude, payment_mode, app_platform, app_version,
               start_key) -> tuple[Trip, bool]:
    # The rider's lock serializes his own starts (his maximum of vehicles); the vehicle's, the riders'.
    rider = lock_rider(rider)
    if start_key is not None:
        already = Trip.objects.filter(rider=rider, start_key=start_key).first()
        if already is not None:  # the same request again (a double tap): its trip, not a second one
            return already, False
    vehicle = lock_vehicle_by_code(rider, vehicle_code)
    network = vehicle.network
    now = timezone.now()
    network_settings = settings_of(network=network)
    facts = start_facts(rider=rider, vehicle=vehicle, now=now)
    check_rider(rider, network, facts, app_platform=app_platform, app_version=app_version, now=now,
                max_vehicles=network_settings.max_simultaneous_rented_vehicle)
    method = _check_way_to_pay(rider, network, payment_mode)
    check_vehicle(vehicle, facts, min_battery=network_settings.min_battery_to_rent)
    cluster = vehicle.spot.station.cluster if vehicle.spot_id else None
    _check_distance(vehicle, cluster, latitude, longitude)
    trip = Trip.objects.create(
        network=network, rider=rider, vehicle=vehicle, start_cluster=cluster, state=TripState.RUNNING,
        started_at=now, start_latitude=vehicle.latitude if vehicle.latitude is not None else latitude,
        start_longitude=vehicle.longitude if vehicle.longitude is not None else longitude,
        payment_mode=payment_mode, payment_status=PaymentStatus.PENDING, start_key=start_key)
    TripEvent.objects.create(trip=trip, type=TripEvent.Type.START, source=Source.MOBILE_APP, timestamp=now,
                             latitude=latitude, longitude=longitude)
    if facts["reserving"]:  # his reservation of this vehicle becomes the trip; one of another vehicle is given up
        held = Reservation.objects.live(now).filter(rider=rider)
        held.filter(vehicle=vehicle).update(ended_at=now, outcome=Reservation.Outcome.STARTED, trip=trip,
                                            updated_at=now)
        held.update(ended_at=now, outcome=Reservation.Outcome.CANCELLED, updated_at=now)
    trip.default_method = method  # the card the guarantee is held on
    return trip, True


def lock_rider(rider):
    """The rider's row, locked. Always the rider's row first, then the vehicle's: one order everywhere (start,
    reserve), so that two requests never wait on each other in a circle."""
    return get_user_model().objects.select_for_update(of=("self",)).get(pk=rider.pk)


def lock_vehicle_by_code(rider, vehicle_code: str):
    """The vehicle of a network of the rider's app label with this code (its serial number), locked; else
    err_VehicleNotFound (another app's vehicles are not found either)."""

    vehicle = (Vehicle.objects.select_for_update(of=("self",))
               .select_related("network__currency", "network__app_label", "model", "spot__station__cluster")
               .filter(serial_number=vehicle_code, network__app_label_id=rider.app_label_id,
                       network__closed_at__isnull=True).first())
    if vehicle is None or rider.app_label_id is None:
        raise TripRefused("err_VehicleNotFound", "No vehicle has this code.", http_status=404)
    return vehicle


# Sentinels no call passes: ids are positive, and no trip starts in 1900.
_RIDER, _VEHICLE, _NOW = -7_100_001, -7_100_002, datetime(1900, 1, 1, 0, 0, 7, tzinfo=UTC)


def _start_facts(rider_id, vehicle_id, now):
    # at call time: stocks and terms import trips at load time (a cycle).
    from apps.stocks.models import StockedVehicle
    # at call time: stocks and terms import trips at load time (a cycle).
    from apps.terms.models import TermsOfUse
    # at call time: stocks and terms import trips at load time (a cycle).
    from apps.terms.selectors import published_terms

    rider_trips_here = (Trip.objects.filter(rider_id=rider_id, network=OuterRef("network_id"), state__in=UNDER_WAY)
                        .order_by().values("rider").annotate(n=Count("pk")).values("n"))
    live = Reservation.objects.live(now)
    app_terms = published_terms(target_type=TermsOfUse.Target.APP_LABEL, app_label_id=OuterRef("network__app_label_id"))
    network_terms = published_terms(target_type=TermsOfUse.Target.NETWORK, network_id=OuterRef("network_id"))
    return Vehicle.objects.filter(pk=vehicle_id).values(
        blocked=Exists(UserBlock.objects.filter(rider_id=rider_id, unblocked_at__isnull=True)),
        app_terms=Subquery(app_terms.values("pk")[:1]),
        network_terms=Subquery(network_terms.values("pk")[:1]),
        in_debt=Exists(Trip.objects.filter(rider_id=rider_id, payment_status=PaymentStatus.FAILED)),
        organization_ids=ArraySubquery(Organization.objects.filter(members=rider_id).order_by("pk").values("pk")),
        access_ruled=Exists(NetworkAccessRule.objects.filter(network=OuterRef("network_id"))),
        rider_trips_here=Coalesce(Subquery(rider_trips_here), 0),
        reserving=Exists(live.filter(rider_id=rider_id)),
        **_vehicle_taken(rider_id, now),
        in_stock=Exists(StockedVehicle.objects.filter(vehicle=OuterRef("pk"))),
    )


def _vehicle_taken(rider_id, now) -> dict:
    """The start's checks that keep a vehicle (the outer row) from the rider, as subqueries, in their order: on a
    trip, reserved by another rider, in maintenance. The start reads them, the map leaves such vehicles out."""
    return {
        "on_trip": Exists(Trip.objects.filter(vehicle=OuterRef("pk"), state__in=UNDER_WAY)),
        "reserved": Exists(Reservation.objects.live(now).filter(vehicle=OuterRef("pk")).exclude(rider_id=rider_id)),
        "in_maintenance": Exists(Maintenance.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now),
                                                            vehicle=OuterRef("pk"), started_at__lte=now)),
    }


# Every start and reservation reads them: compiled once per process (compiling its dozen subqueries cost more than
# running them), run with each request's rider, vehicle and time (apps.core.prepared).
START_FACTS = PreparedQuery(_start_facts, rider_id=_RIDER, vehicle_id=_VEHICLE, now=_NOW)


def start_facts(*, rider, vehicle, now) -> dict:
    """What the start's checks read of the rider and the vehicle, in one statement. Run once both rows are locked:
    its snapshot then holds what a start or reservation that held them before committed (its own statement; a lock
    query's subqueries would read the snapshot taken before its wait)."""
    return START_FACTS.rows(rider_id=rider.pk, vehicle_id=vehicle.pk, now=now)[0]


def check_rider(rider, network, facts: dict, *, app_platform=None, app_version=None, now, max_vehicles: int) -> None:
    if facts["blocked"]:
        raise TripRefused("err_UserBlocked", "Your account is blocked; contact the support.", http_status=403)
    if _terms_to_accept(rider, [facts["app_terms"], facts["network_terms"]]):
        raise TripRefused("err_TermsNotAccepted", "Accept the current terms of use first.")
    check_app_version(app_label=network.app_label, platform=app_platform, version=app_version)
    if facts["in_debt"]:
        raise TripRefused("err_DebtUnpaid", "A past trip is unpaid: pay it before the next one.", http_status=402)
    organization_ids = facts["organization_ids"]
    if facts["access_ruled"] and not access_rules_admitting(
            rules=network.access_rules.all(), email=rider.email, organization_ids=organization_ids,
            app_label_id=rider.app_label_id).exists():
        raise TripRefused("err_NetworkAccessDenied", "This network is not open to you.", http_status=403)
    if _organization_full(organization_ids, network, now):
        raise TripRefused("err_OrganizationMaxVehicles", "Your organization's vehicles are all in use.")
    if facts["rider_trips_here"] >= max_vehicles:
        raise TripRefused("err_TooManyTrips", f"At most {max_vehicles} vehicle(s) at once in this network.")


def _terms_to_accept(rider, latest: list[int | None]) -> bool:
    """Whether the latest published terms of the network's app label, or of the network (`latest`, their ids or
    None), wait for the rider."""
    # at call time: terms imports trips at load time (a cycle).
    from apps.terms.models import TermsAcceptance

    needed = [terms_id for terms_id in latest if terms_id is not None]
    return bool(needed) and TermsAcceptance.objects.filter(rider=rider, terms_id__in=needed).count() < len(needed)


def _organization_full(organization_ids, network, now) -> bool:
    """Whether one of the rider's organizations has a rule in force here whose maximum of vehicles is in use."""

    tz = ZoneInfo(network.timezone)
    rules = OrganizationRule.objects.filter(organization_id__in=organization_ids, network=network,
                                            max_vehicles__isnull=False)
    for rule in rules:
        if rule_in_force(rule=rule, moment=now, tz=tz):
            in_use = Trip.objects.filter(network=network, state__in=UNDER_WAY,
                                         rider__organizations=rule.organization_id).count()
            if in_use >= rule.max_vehicles:
                return True
    return False


def _check_way_to_pay(rider, network, payment_mode: str | None) -> PaymentMethod | None:
    """A default card for a card trip, credits in the wallet of the network's currency for a wallet trip; either for
    a reservation (`payment_mode` None: the trip's mode is chosen at its start). Returns the default card, if read."""

    if payment_mode != PaymentMode.WALLET and (method := _default_method(rider)) is not None:
        return method
    if payment_mode != PaymentMode.CARD:
        wallet = Wallet.objects.filter(rider=rider, currency=network.currency, closed_at__isnull=True).first()
        if wallet is not None and wallet_balance(wallet=wallet) > 0:
            return None
    raise TripRefused("err_NoPaymentMethod", "Add a card, or credits to your wallet, first.", http_status=402)


def _default_method(rider):
    return PaymentMethod.objects.filter(rider=rider, is_default=True, detached_at__isnull=True).first()


def check_vehicle(vehicle, facts: dict, *, min_battery: int) -> None:
    if facts["on_trip"]:
        raise TripRefused("err_VehicleOnTrip", "This vehicle is already on a trip.")
    if facts["reserved"]:
        raise TripRefused("err_VehicleReserved", "Another rider has reserved this vehicle.")
    if facts["in_maintenance"]:
        raise TripRefused("err_VehicleInMaintenance", "This vehicle is in maintenance.")
    if facts["in_stock"]:
        raise TripRefused("err_VehicleInStock", "This vehicle is in a stock.")
    if vehicle.decommissioned_at is not None:
        raise TripRefused("err_VehicleDecommissioned", "This vehicle is out of the fleet.")
    if vehicle.battery_level is not None and vehicle.battery_level < min_battery:
        raise TripRefused("err_BatteryTooLow", "This vehicle's battery is too low to rent it.")


def _check_distance(vehicle, cluster, latitude, longitude) -> None:
    if cluster is None or vehicle.latitude is None or vehicle.longitude is None:
        return  # free-floating: the rider found it where it is; no position known: nothing to measure against
    if distance_m(latitude, longitude, vehicle.latitude, vehicle.longitude) > cluster.max_unlock_distance:
        raise TripRefused("err_TooFarFromVehicle",
                          f"Come within {cluster.max_unlock_distance} m of the vehicle to unlock it.")


NEAREST = 50  # vehicles a map asks for at most
# Sentinels no call passes: coordinates far outside the Earth's ranges (each its own), ids negative.
_APP_LABEL, _LAT_MIN, _LAT_MAX, _LON_MIN, _LON_MAX, _LAT, _LON, _SCALE = (
    -7_100_003, -1001.5, -1002.5, -1003.5, -1004.5, -1005.5, -1006.5, -1007.5)


def _rentable_near(app_label_id, rider_id, now, lat_min, lat_max, lon_min, lon_max, lat, lon, scale):
    minimum_battery = Coalesce(Subquery(NetworkSettings.objects.filter(network=OuterRef("network_id"))
                                        .values("min_battery_to_rent")[:1]),
                               NetworkSettings._meta.get_field("min_battery_to_rent").default)
    squared = ExpressionWrapper((F("latitude") - Value(lat)) ** 2 + ((F("longitude") - Value(lon)) * Value(scale)) ** 2,
                                output_field=FloatField())
    vehicles = (Vehicle.objects.filter(network__app_label_id=app_label_id, network__closed_at__isnull=True,
                                       decommissioned_at__isnull=True, stock_entry__isnull=True,
                                       latitude__range=(lat_min, lat_max), longitude__range=(lon_min, lon_max))
                .filter(Q(battery_level__isnull=True) | Q(battery_level__gte=minimum_battery)))
    for taken in _vehicle_taken(rider_id, now).values():
        vehicles = vehicles.exclude(taken)
    return (
        vehicles.annotate(squared=squared).order_by("squared", "id")
        .values("serial_number", "network_id", "model_id", "latitude", "longitude", "battery_level")[:NEAREST])


# Every rider's map asks for it: compiled once per process (apps.core.prepared); the vehicles' models, a small
# table, are read after the cut to the nearest, not joined to every vehicle in the box before it.
RENTABLE_NEAR = PreparedQuery(_rentable_near, app_label_id=_APP_LABEL, rider_id=_RIDER, now=_NOW, lat_min=_LAT_MIN,
                              lat_max=_LAT_MAX, lon_min=_LON_MIN, lon_max=_LON_MAX, lat=_LAT, lon=_LON, scale=_SCALE)


def rentable_vehicles_near(*, app_label_id: int, rider_id: int, latitude, longitude, radius_m: int,
                           limit: int = NEAREST) -> list[SimpleNamespace]:
    """The vehicles the rider (`rider_id`) of the app label could start within `radius_m` of the point (not those
    another rider reserved), nearest first, at most `limit` (up to NEAREST): the start's vehicle checks, read for
    many vehicles at once. PostgreSQL orders them by an equirectangular distance (exact enough over a few
    kilometres) and returns only the nearest. Each as its fields, its `model` (name, range) and `distance_m`."""

    lat, lon = float(latitude), float(longitude)
    scale = max(math.cos(math.radians(lat)), 0.01)
    dlat, dlon = radius_m / 111_320, radius_m / (111_320 * scale)
    rows = RENTABLE_NEAR.rows(app_label_id=app_label_id, rider_id=rider_id, now=timezone.now(), lat_min=lat - dlat,
                              lat_max=lat + dlat, lon_min=lon - dlon, lon_max=lon + dlon, lat=lat, lon=lon,
                              scale=scale)[:limit]
    models = {model.pk: SimpleNamespace(name=model.name, max_range_meters=model.max_range_meters)
              for model in VehicleModel.objects.filter(pk__in={row["model_id"] for row in rows})}
    found = []
    for row in rows:
        vehicle = SimpleNamespace(**row, model=models[row["model_id"]])
        vehicle.distance_m = distance_m(lat, lon, vehicle.latitude, vehicle.longitude)
        if vehicle.distance_m <= radius_m:
            found.append(vehicle)
    return found


def _needs_hold(trip: Trip) -> bool:
    """A card trip's guarantee is held unless the network skips it: never (0), or after n finished trips."""
    skip_after = trip.network.trip_to_skip_pre_auth_guarantee
    if trip.payment_mode != PaymentMode.CARD or skip_after == 0:
        return False
    if skip_after > 0:
        finished = Trip.objects.filter(rider_id=trip.rider_id, network=trip.network, state=TripState.FINISHED)
        return finished.count() < skip_after
    return True


def _hold_amount(trip: Trip) -> Decimal:
    model_rule = VehicleModelGuarantee.objects.filter(network=trip.network, model_id=trip.vehicle.model_id).first()
    return model_rule.pre_auth if model_rule is not None else trip.network.default_vehicle_guarantee


def _hold_guarantee(trip: Trip):
    amount = _hold_amount(trip)
    if amount <= 0:
        return None
    try:
        method = getattr(trip, "default_method", None) or _default_method(trip.rider)
        hold = guarantee_hold(rider=trip.rider, network=trip.network, method=method, amount=amount, trip=trip)
    except Exception:  # the provider unreachable or silent: no trip without its guarantee
        _cancel(trip, "the guarantee could not be held")
        raise
    if hold is None:
        _cancel(trip, "the guarantee was declined")
        raise TripRefused("err_PaymentDeclined", "Your bank declined the guarantee.", http_status=402)
    return hold


def _unlock(trip: Trip, hold) -> None:
    try:
        command_execute(vehicle=trip.vehicle, command="unlock", idempotency_key=f"trip-{trip.pk}-unlock",
                        timeout=settings.IOT_UNLOCK_TIMEOUT)
    except Exception as failure:  # refused, unreachable, silent past the timeout: the trip ends free
        _cancel(trip, str(failure) or type(failure).__name__)
        if hold is not None:
            guarantee_release(guarantee=hold)
        if isinstance(failure, IotFailure):
            raise TripRefused("err_UnlockFailed", "The vehicle did not unlock; nothing is charged.",
                              http_status=502) from None
        raise
    now = timezone.now()
    unlocked = TripEvent(trip=trip, type=TripEvent.Type.UNLOCK, source=Source.VEHICLE, timestamp=now)
    if trip.vehicle.spot_id is None:  # as read under its lock at the start: a free-floating vehicle has no dock
        unlocked.save()
        return
    with transaction.atomic():
        unlocked.save()
        # Unlocked, it leaves its dock: the spot is free for another (a failed unlock leaves it docked).
        Vehicle.objects.filter(pk=trip.vehicle_id, spot__isnull=False).update(spot=None, updated_at=now)


@transaction.atomic
def _cancel(trip: Trip, why: str) -> None:
    """A start that did not go through: the trip ends cancelled, free, and the reservation it ended holds the vehicle
    again for the rider (until it expires, as if the start had not been tried)."""
    now = timezone.now()
    Trip.objects.filter(pk=trip.pk, state__in=UNDER_WAY).update(
        state=TripState.CANCELLED, ended_at=now, payment_status=PaymentStatus.NOT_TO_PAY, updated_at=now)
    Reservation.objects.filter(trip=trip).update(ended_at=None, outcome=None, trip=None, updated_at=now)
    TripEvent.objects.create(trip=trip, type=TripEvent.Type.END, source=Source.SYSTEM, timestamp=now,
                             additional_data={"reason": why})


# --- reservations ------------------------------------------------------------------------------------------------
@transaction.atomic
def reservation_create(*, rider, vehicle_code: str) -> Reservation:
    """Hold the vehicle named by `vehicle_code` for the rider, for the network's reservation time. The start's rider,
    way-to-pay (a card or credits) and vehicle checks apply, in their order; then reservations allowed in the network
    (err_ReservationsOff), and one reservation at a time (err_AlreadyReserving). Returns the reservation as stored."""

    rider = lock_rider(rider)
    vehicle = lock_vehicle_by_code(rider, vehicle_code)
    now = timezone.now()
    network_settings = settings_of(network=vehicle.network)
    facts = start_facts(rider=rider, vehicle=vehicle, now=now)
    check_rider(rider, vehicle.network, facts, now=now,
                max_vehicles=network_settings.max_simultaneous_rented_vehicle)
    _check_way_to_pay(rider, vehicle.network, None)  # no holding a vehicle one could not ride
    check_vehicle(vehicle, facts, min_battery=network_settings.min_battery_to_rent)
    if not network_settings.reservation_duration:
        raise TripRefused("err_ReservationsOff", "This network does not take reservations.")
    if facts["reserving"]:
        raise TripRefused("err_AlreadyReserving", "You already hold a vehicle: cancel that reservation first.")
    reservation = Reservation.objects.create(
        network=vehicle.network, rider=rider, vehicle=vehicle,
        expires_at=now + timedelta(seconds=network_settings.reservation_duration))
    return Reservation.objects.select_related("vehicle").get(pk=reservation.pk)


@transaction.atomic
def reservation_cancel(*, reservation: Reservation) -> Reservation:
    """Give the vehicle back before the reservation expires; an ended or expired one is refused
    (err_ReservationNotActive)."""
    reservation = Reservation.objects.select_for_update(of=("self",)).select_related("vehicle").get(pk=reservation.pk)
    now = timezone.now()
    if reservation.status(now) != "active":
        raise TripRefused("err_ReservationNotActive", "This reservation has already ended.")
    reservation.ended_at, reservation.outcome = now, Reservation.Outcome.CANCELLED
    reservation.save(update_fields=["ended_at", "outcome", "updated_at"])
    return reservation


# --- pause and resume --------------------------------------------------------------------------------------------
@transaction.atomic
def trip_pause(*, trip: Trip) -> Trip:
    """Put a running trip on hold (where the network allows it): billed at the on-hold price until resumed."""

    trip = Trip.objects.select_for_update(of=("self",)).select_related("network").get(pk=trip.pk)
    if trip.state != TripState.RUNNING:
        raise TripRefused("err_TripNotRunning", "Only a running trip can be paused.")
    if not settings_of(network=trip.network).trip_on_hold:
        raise TripRefused("err_PauseNotAllowed", "This network does not allow pauses.")
    return _switch(trip, TripState.ON_HOLD, TripEvent.Type.PAUSE)


@transaction.atomic
def trip_resume(*, trip: Trip) -> Trip:
    trip = Trip.objects.select_for_update(of=("self",)).get(pk=trip.pk)
    if trip.state != TripState.ON_HOLD:
        raise TripRefused("err_TripNotPaused", "Only a paused trip can be resumed.")
    return _switch(trip, TripState.RUNNING, TripEvent.Type.RESUME)


def _switch(trip: Trip, state: str, event: int) -> Trip:
    trip.state = state
    trip.save(update_fields=["state", "updated_at"])
    TripEvent.objects.create(trip=trip, type=event, source=Source.MOBILE_APP, timestamp=timezone.now())
    return trip


# --- end ---------------------------------------------------------------------------------------------------------
def trip_end(*, trip: Trip, latitude: Decimal | None = None, longitude: Decimal | None = None,
             actor=None) -> Trip:
    """End a trip under way and take its payment. The rider ends it with the vehicle's lock and the network's
    position rules; staff (`actor`) end it where it is, without them. Returns the trip as stored."""
    fee = locked_at = None
    if actor is None:
        # The rider's copy, just read by his request, decides whether to lock; _finish decides under the row's lock.
        current = trip if trip.state in UNDER_WAY else None
        if current is not None:  # else _finish says it ended already
            if latitude is not None and longitude is not None:
                # Before the lock: refused, the ride goes on.
                fee = _check_end_position(current, latitude, longitude)
            _lock(current)
            locked_at = timezone.now()
    ended = _finish(trip=trip, latitude=latitude, longitude=longitude, actor=actor, out_of_zone_fee=fee,
                    locked_at=locked_at)
    try:
        _pay(ended)
    except (PaymentPending, BusinessRuleViolation):
        # The provider silent (reconciliation settles it, and marks the trip paid or a debt) or unreachable: the
        # trip has ended all the same; its payment stays pending.
        pass
    paid = Trip.objects.select_related("network__currency", "rider", "vehicle").get(pk=trip.pk)
    if hasattr(ended, "_end_fees"):
        paid._end_fees = ended._end_fees  # read after _finish added them: the same
    _send_receipt(paid)
    return paid


def _send_receipt(trip: Trip) -> None:
    """The receipt by mail (the app label's `trip-receipt` template, with the link to the trip's invoice), and by push
    where the rider has a phone that takes them, once the trip is paid or owes nothing; sent by the worker
    (apps.riders.tasks.send_rider_messages), each once whatever retries."""

    if trip.payment_status not in (PaymentStatus.PAID, PaymentStatus.NOT_TO_PAY):
        return  # a debt is not a receipt
    tz = ZoneInfo(trip.network.timezone)
    due = trip.network.currency.quantize(rider_share(trip))
    summary = f"Trip of {trip.started_at.astimezone(tz):%Y-%m-%d %H:%M}: {due} {trip.network.currency_id}."
    invoice = Invoice.objects.filter(transaction__trip=trip, kind=Invoice.Kind.INVOICE).first()
    messages = [RiderMessage(
        rider=trip.rider, channel=RiderMessage.Channel.EMAIL, subject="Your trip receipt", body=summary,
        template="trip-receipt", variables={
            "trip_id": trip.pk, "started_at": f"{trip.started_at.astimezone(tz):%Y-%m-%d %H:%M}",
            "ended_at": f"{trip.ended_at.astimezone(tz):%Y-%m-%d %H:%M}",
            "duration_minutes": round(trip.duration / 60), "distance_km": f"{trip.distance / 1000:.1f}",
            "amount": str(due), "currency": trip.network.currency_id,
            "invoice_url": invoice_link(invoice) if invoice is not None else ""})]
    if Device.objects.filter(rider=trip.rider).exclude(push_token="").exists():
        messages.append(RiderMessage(rider=trip.rider, channel=RiderMessage.Channel.PUSH,
                                     subject="Your trip receipt", body=summary))
    if len(messages) == 1:
        messages[0].save()  # one INSERT (bulk_create would wrap it in a transaction of its own)
    else:
        RiderMessage.objects.bulk_create(messages)  # one statement: both or none
    ids = [message.pk for message in messages]
    transaction.on_commit(lambda: send_rider_messages.delay(ids))


def _lock(trip: Trip) -> None:
    try:
        command_execute(vehicle=trip.vehicle, command="lock", idempotency_key=f"trip-{trip.pk}-lock",
                        timeout=settings.IOT_UNLOCK_TIMEOUT)
    except IotFailure:
        raise TripRefused("err_LockFailed", "The vehicle did not lock: close the lock and end again.",
                          http_status=502) from None


@transaction.atomic
def _finish(*, trip: Trip, latitude, longitude, actor, out_of_zone_fee: Decimal | None = None,
            locked_at=None) -> Trip:
    trip = (Trip.objects.select_for_update(of=("self",))
            .select_related("network__currency", "vehicle", "coupon_use__code__discount").get(pk=trip.pk))
    if trip.state not in UNDER_WAY:
        raise TripRefused("err_TripAlreadyEnded", "This trip has already ended.")
    now = timezone.now()
    trip.state, trip.ended_at = TripState.FINISHED, now
    trip.end_latitude = latitude if latitude is not None else trip.vehicle.latitude
    trip.end_longitude = longitude if longitude is not None else trip.vehicle.longitude
    trip.duration = int((now - trip.started_at).total_seconds())
    pauses = list(trip.events.filter(type__in=PAUSE_EVENTS).order_by("timestamp", "id"))  # read once, used twice
    trip.running_duration = int(sum((s.end - s.start).total_seconds() for s in trip_segments(trip=trip, events=pauses)
                                     if s.kind == "use"))
    route = trip_route(trip)
    if len(route) > 1:  # the vehicle reported its way (apps.telemetry); without it, the distance stays unknown
        trip.distance = path_length_m([(p.latitude, p.longitude) for p in route])
    if latitude is not None and longitude is not None:  # the vehicle is where the trip ended
        Vehicle.objects.filter(pk=trip.vehicle_id).update(latitude=latitude, longitude=longitude, position_at=now,
                                                          updated_at=now)
    events = [TripEvent(trip=trip, type=TripEvent.Type.LOCK, source=Source.VEHICLE, timestamp=locked_at)
              ] if locked_at is not None else []  # the vehicle confirmed its lock (a staff end makes none)
    events.append(TripEvent(trip=trip, type=TripEvent.Type.END, timestamp=now,
                            source=Source.DASHBOARD if actor is not None else Source.MOBILE_APP,
                            latitude=latitude, longitude=longitude,
                            additional_data={"ended_by": actor.email} if actor is not None else None))
    TripEvent.objects.bulk_create(events)
    cover_trip(trip, save=False)  # what his subscription and passes cover of it, decided once (apps.trips.coverage)
    if out_of_zone_fee:
        TripAdditionalCost.objects.create(trip=trip, type=_out_of_zone_type(), amount=out_of_zone_fee,
                                          notes="Ended outside a parking or station.")
    trip_compute_cost(trip=trip, events=pauses, save=False)
    # The end, its coverage and its price in one UPDATE.
    trip.save(update_fields=["state", "ended_at", "end_latitude", "end_longitude", "duration", "running_duration",
                             "distance", *COVERAGE_FIELDS, *COST_FIELDS, "updated_at"])
    return trip


def _out_of_zone_type() -> AdditionalCostType:
    return AdditionalCostType.objects.get_or_create(
        key=OUT_OF_ZONE_FEE, defaults={"cost_type": AdditionalCostType.MacroType.RELOCATION,
                                         "labels": {"en": "Out-of-zone fee", "fr": "Frais hors zone"}})[0]


def _check_end_position(trip: Trip, latitude, longitude) -> Decimal | None:
    """The network's position rules for an end at (`latitude`, `longitude`), in this order: inside its border
    (err_OutsideBorder), outside its no-parking zones (err_NoParkingZone), and where it requires parking, in a
    virtual parking or within a station's unlock distance: else the out-of-zone fee, returned, or without one
    err_OutsideParking."""
    # at call time: geofencing imports trips at load time (a cycle).
    from apps.geofencing.models import NetworkBorder, NoParkingZone, VirtualParking

    latitude, longitude = Decimal(str(latitude)), Decimal(str(longitude))
    border = NetworkBorder.objects.filter(network=trip.network).first()
    if border is not None and border.shape and not border.contains(latitude, longitude):
        raise TripRefused("err_OutsideBorder", "End the trip inside the network's area.")
    point = {"min_latitude__lte": latitude, "max_latitude__gte": latitude,
             "min_longitude__lte": longitude, "max_longitude__gte": longitude}  # bounding boxes, then the shapes
    if any(zone.contains(latitude, longitude)
           for zone in NoParkingZone.objects.in_force().filter(network=trip.network, **point)):
        raise TripRefused("err_NoParkingZone", "Parking is forbidden here: move the vehicle out of the red zone.")
    network_settings = settings_of(network=trip.network)
    if not network_settings.parking_required:
        return None
    if any(parking.contains(latitude, longitude)
           for parking in VirtualParking.objects.filter(network=trip.network, **point)):
        return None
    near = 0.01  # degrees of latitude (~1.1 km): more than any unlock distance (at most 1,000 m)
    clusters = Cluster.objects.filter(network=trip.network, decommissioned_at__isnull=True,
                                      latitude__range=(latitude - Decimal(near), latitude + Decimal(near)))
    if any(distance_m(latitude, longitude, c.latitude, c.longitude) <= c.max_unlock_distance for c in clusters):
        return None
    if network_settings.out_of_zone_fee is not None:
        return network_settings.out_of_zone_fee
    raise TripRefused("err_OutsideParking", "End the trip in a parking or at a station.")


def rider_share(trip: Trip) -> Decimal:
    """What the rider pays of the trip: its cost less discounts and the organization's share, plus the fees added
    when it ended (the out-of-zone fee: not discounted, not shared). The fees are added only as the trip ends,
    inside `_finish`: a trip under way has none, and an ended trip's are read once per Trip instance."""
    fees = Decimal(0) if trip.state in UNDER_WAY else getattr(trip, "_end_fees", None)
    if fees is None:
        fees = trip._end_fees = sum(TripAdditionalCost.objects.filter(trip=trip, type__key=OUT_OF_ZONE_FEE)
                                    .values_list("amount", flat=True), Decimal(0))
    return max(trip.amount - trip.discount_amount - trip.organization_amount, Decimal(0)) + fees


def _pay(trip: Trip) -> None:
    due = trip.network.currency.quantize(rider_share(trip))
    hold = BankGuarantee.objects.select_related("currency").filter(trip=trip, released_at__isnull=True).first()
    if due <= 0:
        if hold is not None:
            guarantee_release(guarantee=hold)
        _set_payment_status(trip, PaymentStatus.NOT_TO_PAY)
        return
    if trip.payment_mode == PaymentMode.WALLET and _paid_from_wallet(trip, due):
        return
    title = f"Trip {trip.guid}"[:100]
    if hold is not None:
        if due <= hold.amount:
            guarantee_capture(guarantee=hold, amount=due, kind="trip", product_title=title)
            return
        # More than held: the hold is given back and the card pays it all, so the trip has one payment.
        guarantee_release(guarantee=hold)
    method = _default_method(trip.rider)
    if method is None:
        _set_payment_status(trip, PaymentStatus.FAILED)
        return
    payment_charge(rider=trip.rider, network=trip.network, kind="trip", amount_w_vat=due, product_title=title,
                   method=method, auto_payment=True, trip=trip)


def retry_unpaid_ends(*, older_than: timedelta = timedelta(minutes=5), limit: int = 200) -> dict[str, int]:
    """Take again the payment of the finished trips whose payment the provider could not take at their end
    (unreachable: the attempt was voided, nothing happened there), once no attempt of theirs waits for an answer:
    by the worker's beat. A try names new attempts (apps.payments.services: the charge's key counts the voided
    ones; a capture's, the tries), so it never pays twice. Returns how many ended paid, as debts, or still waiting."""

    attempts = PaymentAttempt.objects.filter(trip=OuterRef("pk"))
    due = (Trip.objects.filter(state=TripState.FINISHED, payment_status=PaymentStatus.PENDING,
                               ended_at__lt=timezone.now() - older_than)
           .filter(Exists(attempts.filter(status=PaymentAttempt.Status.VOIDED)))
           .exclude(Exists(attempts.filter(status=PaymentAttempt.Status.PENDING)))
           .select_related("network__currency", "rider", "vehicle").order_by("ended_at", "id")[:limit])
    outcomes: dict[str, int] = {}
    for trip in due:
        try:
            _pay(trip)
        except (PaymentPending, BusinessRuleViolation):
            pass  # still unreachable or silent: the next run, or reconciliation
        trip = Trip.objects.select_related("network__currency", "rider", "vehicle").get(pk=trip.pk)
        _send_receipt(trip)
        outcomes[trip.payment_status] = outcomes.get(trip.payment_status, 0) + 1
    return outcomes


def _paid_from_wallet(trip: Trip, due: Decimal) -> bool:
    try:
        with transaction.atomic():
            wallet_consume(rider=trip.rider, amount=due, currency=trip.network.currency, reason=f"Trip {trip.guid}")
            _set_payment_status(trip, PaymentStatus.PAID)
        return True
    except BusinessRuleViolation:  # not enough credits: the card pays it, when the rider has one
        return False


def _set_payment_status(trip: Trip, status: str) -> None:
    Trip.objects.filter(pk=trip.pk).update(payment_status=status, updated_at=timezone.now())


def record_trip_payment(attempt) -> None:
    """A trip's charge or capture settled (now, or later by reconciliation): the trip is paid, or a debt. Called in
    the settling transaction (apps.payments.attempts.on_trip_payment_settled); one UPDATE, which locks the row."""
    trips = Trip.objects.filter(pk=attempt.trip_id)
    if attempt.status == "succeeded":
        # an earlier part declined: still a debt
        trips.exclude(payment_status=PaymentStatus.FAILED).update(payment_status=PaymentStatus.PAID,
                                                                  updated_at=timezone.now())
    elif attempt.status == "declined":
        trips.update(payment_status=PaymentStatus.FAILED, updated_at=timezone.now())


def release_orphan_hold(attempt) -> None:
    """A trip's hold the provider confirmed after the start gave up on it (it answered late: the trip was cancelled,
    free): given back by the worker once this settlement commits (apps.payments.attempts.on_trip_hold_settled)."""

    if Trip.objects.filter(pk=attempt.trip_id, state__in=UNDER_WAY).exists():
        return  # the trip goes on: its end captures or releases the hold
    guarantee_id = attempt.guarantee_id
    transaction.on_commit(lambda: release_hold.delay(guarantee_id))


DEBT_PAYMENT = "trip_debt"  # the purpose of a charge paying what a trip still owes (apps.payments.attempts)


def trip_pay_debt(*, trip: Trip) -> Trip:
    """The rider pays an unpaid trip on his default card: what it still owes (his part, less what was paid of it).
    The charge's key is the trip's and the number of its declined debt payments: two taps at once open one attempt
    (the provider is called once), and a try after a decline is a new one.
    The payment is the rider's, not linked to the trip (a trip has one payment: the declined one stays), and names it
    in its title. Returns the trip as stored."""

    trip = Trip.objects.select_related("network__currency", "rider").get(pk=trip.pk)
    if trip.payment_status != PaymentStatus.FAILED:
        raise TripRefused("err_NoDebt", "This trip is not unpaid.")
    method = _default_method(trip.rider)
    if method is None:
        raise TripRefused("err_NoPaymentMethod", "Add a card first.", http_status=402)
    # Named by the declined tries so far: a tap racing another (even one that already paid) names the same attempt.
    declined = PaymentAttempt.objects.filter(purpose=DEBT_PAYMENT, purpose_id=trip.pk,
                                             status=PaymentAttempt.Status.DECLINED).count()
    paid = sum(Transaction.objects.filter(trip=trip, status=Transaction.Status.PAID)
               .values_list("amount_w_vat", flat=True), Decimal(0))
    due = trip.network.currency.quantize(rider_share(trip) - paid)
    if due <= 0:
        _set_payment_status(trip, PaymentStatus.PAID)
    else:
        payment = payment_charge(rider=trip.rider, network=trip.network, kind="trip", amount_w_vat=due,
                                 product_title=f"Trip {trip.guid} (unpaid)"[:100], method=method,
                                 key=f"trip-{trip.pk}-debt-{declined}", purpose=DEBT_PAYMENT,
                                 purpose_id=trip.pk)
        if payment.status == Transaction.Status.DECLINED:
            raise TripRefused("err_PaymentDeclined", "Your bank declined the payment.", http_status=402)
    return Trip.objects.select_related("network__currency", "vehicle").get(pk=trip.pk)


def debt_paid(attempt, payment) -> None:
    """A debt's charge succeeded (apps.payments.attempts.on_charge_settled): the trip is paid."""
    Trip.objects.filter(pk=attempt.purpose_id, payment_status=PaymentStatus.FAILED).update(
        payment_status=PaymentStatus.PAID, updated_at=timezone.now())


@transaction.atomic
def trip_waive_debt(*, trip: Trip, actor) -> Trip:
    """Staff forgive an unpaid trip: it is no longer to be paid, and no longer refuses the rider's next start."""
    trip = Trip.objects.select_for_update(of=("self",)).get(pk=trip.pk)
    if trip.payment_status != PaymentStatus.FAILED:
        raise TripRefused("err_NoDebt", "This trip is not unpaid.")
    trip.payment_status = PaymentStatus.NOT_TO_PAY
    trip.save(update_fields=["payment_status", "updated_at"])  # the audit log records who waived it
    return trip
