"""The riders' trip operations of the mobile API (PascalCase JSON, the mobile envelope)."""
from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import DecimalField, Prefetch, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.api.mobile import MobileError, MobileOperationView

from apps.payments.services import request_key

from .. import lifecycle
from ..coupons import apply_coupon
from ..models import Reservation, Trip, TripAdditionalCost, TripDetail, TripState
from .serializers import AdditionalCostPageOut, NearbyVehicleOut, ReservationOut, RiderTripOut, TripHistoryOut


def history_range(from_date, to_date, *, now=None, max_days: int | None = None):
    """The seed's range rules: both null, the last MAX days; one given, MAX days from (or to) it; both given
    and too long, `to` is kept and `from` moved to `to - MAX`."""
    span = timedelta(days=max_days or settings.MAX_TRIP_HISTORY_USER_DAYS)
    now = now or timezone.now()
    if from_date is None and to_date is None:
        return now - span, now
    if to_date is None:
        return from_date, from_date + span
    if from_date is None:
        return to_date - span, to_date
    if to_date - from_date > span:
        return to_date - span, to_date
    return from_date, to_date


class RiderTripView(MobileOperationView):
    def rider_trip(self, guid) -> Trip:
        try:
            guid = uuid.UUID(str(guid))
        except ValueError:
            raise MobileError("err_InvalidElement", "The trip guid is malformed.", 400) from None
        trip = Trip.objects.select_related("network", "vehicle").filter(guid=guid).first()
        if trip is None:
            raise MobileError("err_NoTripFound", "No trip was found for this guid.", 404)
        if trip.rider_id != self.request.user.pk:
            raise MobileError("err_TripUserMismatch", "This trip belongs to another rider.", 403)
        return trip


class ApplyTripCoupon(MobileOperationView):
    operations = {"POST": "applyTripCoupon"}

    def post(self, request):
        apply_coupon(rider=request.user, trip_guid=self.body["Trip"], coupon=self.body["Coupon"])
        return self.respond()


class TripAdditionalCosts(RiderTripView):
    operations = {"GET": "listTripAdditionalCosts"}
    output_serializers = {"GET": AdditionalCostPageOut}

    def get(self, request, guid):
        trip = self.rider_trip(guid)
        index, size = self.query.get("PageIndex", 0), self.query.get("PageSize", 20)
        costs = (TripAdditionalCost.objects.filter(trip=trip)
                 .select_related("type", "trip__start_cluster", "trip__end_cluster").order_by("created_at", "id"))
        page = {"Items": costs[index * size:(index + 1) * size], "PageIndex": index, "PageSize": size,
                "TotalCount": costs.count()}
        return self.respond(self.output_serializer(page).data)


class TripHistory(MobileOperationView):
    operations = {"POST": "getTripHistory"}
    output_serializers = {"POST": TripHistoryOut}

    def post(self, request):
        start, end = history_range(self.body.get("fromDate"), self.body.get("toDate"))
        money = DecimalField(max_digits=14, decimal_places=4)
        trips = (Trip.objects.filter(rider=request.user, state=TripState.FINISHED, started_at__gte=start,
                                     started_at__lte=end)
                 .select_related("network", "vehicle__model", "start_cluster", "end_cluster", "coupon_use__code")
                 .prefetch_related("events", Prefetch("details", queryset=TripDetail.objects.filter(
                     deleted_at__isnull=True)))
                 .annotate(total_additional_cost=Coalesce(Sum("additional_costs__amount"), Value(0), output_field=money))
                 .order_by("-started_at", "-id"))
        trips = list(trips)
        for index, trip in enumerate(trips):
            trip.history_index = index
        return self.respond(self.output_serializer({"Trips": trips}).data)


# --- the trip lifecycle (apps.trips.lifecycle) -------------------------------------------------------------------
class RiderTripWrite(RiderTripView):
    """A lifecycle step: answers the trip as stored after it."""

    def answer(self, trip: Trip, *, read_back: bool = True):
        """The trip as stored; `read_back=False` when the service just read it back with what the answer shows."""
        if read_back:
            trip = Trip.objects.select_related("network__currency", "vehicle").get(pk=trip.pk)
        return self.respond(RiderTripOut(trip).data)


class StartTrip(RiderTripWrite):
    operations = {"POST": "startTrip"}
    output_serializers = {"POST": RiderTripOut}
    idempotent_methods = ("POST",)
    stepped_methods = ("POST",)  # the hold and the unlock happen between commits of their own

    def post(self, request):
        body = self.body
        trip = lifecycle.trip_start(rider=request.user, vehicle_code=body["VehicleCode"], latitude=body["Latitude"],
                                    longitude=body["Longitude"], payment_mode=body["PaymentMode"],
                                    app_platform=body.get("AppPlatform"), app_version=body.get("AppVersion"),
                                    start_key=request_key(idempotency=self.idempotency))
        return self.answer(trip, read_back=False)


class RiderTripDetail(RiderTripWrite):
    operations = {"GET": "getRiderTrip"}
    output_serializers = {"GET": RiderTripOut}

    def get(self, request, guid):
        return self.answer(self.rider_trip(guid))


class PauseTrip(RiderTripWrite):
    operations = {"POST": "pauseTrip"}
    output_serializers = {"POST": RiderTripOut}

    def post(self, request, guid):
        return self.answer(lifecycle.trip_pause(trip=self.rider_trip(guid)))


class ResumeTrip(RiderTripWrite):
    operations = {"POST": "resumeTrip"}
    output_serializers = {"POST": RiderTripOut}

    def post(self, request, guid):
        return self.answer(lifecycle.trip_resume(trip=self.rider_trip(guid)))


class EndTrip(RiderTripWrite):
    operations = {"POST": "endTrip"}
    output_serializers = {"POST": RiderTripOut}
    idempotent_methods = ("POST",)
    stepped_methods = ("POST",)  # the lock and the payment happen between commits of their own

    def post(self, request, guid):
        trip = self.rider_trip(guid)
        try:
            ended = lifecycle.trip_end(trip=trip, latitude=self.body["Latitude"], longitude=self.body["Longitude"])
        except lifecycle.TripRefused as refused:
            if refused.mobile_code != "err_TripAlreadyEnded" or self.idempotency is None:
                raise
            # The same request again (a double tap with its key) while or after the first ended it: that end.
            return self.answer(trip)
        return self.answer(ended, read_back=False)


class PayTripDebt(RiderTripWrite):
    operations = {"POST": "payTripDebt"}
    output_serializers = {"POST": RiderTripOut}
    idempotent_methods = ("POST",)
    stepped_methods = ("POST",)  # the charge happens between commits of its own

    def post(self, request, guid):
        return self.answer(lifecycle.trip_pay_debt(trip=self.rider_trip(guid)), read_back=False)


class NearbyVehicles(MobileOperationView):
    operations = {"GET": "listNearbyVehicles"}
    output_serializers = {"GET": NearbyVehicleOut}

    def get(self, request):
        vehicles = lifecycle.rentable_vehicles_near(
            app_label_id=request.user.app_label_id, latitude=self.query["Latitude"], longitude=self.query["Longitude"],
            radius_m=self.query["Radius"], rider_id=request.user.pk)
        return self.respond(NearbyVehicleOut(vehicles, many=True).data)


# --- reservations ------------------------------------------------------------------------------------------------
def _reservation_read(pk: int) -> Reservation:
    return Reservation.objects.select_related("vehicle", "trip").get(pk=pk)


class Reservations(MobileOperationView):
    operations = {"POST": "reserveVehicle"}
    output_serializers = {"POST": ReservationOut}
    idempotent_methods = ("POST",)

    def post(self, request):
        reservation = lifecycle.reservation_create(rider=request.user, vehicle_code=self.body["VehicleCode"])
        return self.respond(ReservationOut(_reservation_read(reservation.pk)).data)


class CurrentReservation(MobileOperationView):
    operations = {"GET": "getCurrentReservation"}
    output_serializers = {"GET": ReservationOut}

    def get(self, request):
        current = (Reservation.objects.live(timezone.now()).filter(rider=request.user)
                   .select_related("vehicle", "trip").first())
        return self.respond(ReservationOut(current).data if current is not None else None)


class ReservationDetail(MobileOperationView):
    operations = {"DELETE": "cancelReservation"}
    output_serializers = {"DELETE": ReservationOut}

    def delete(self, request, id):
        reservation = Reservation.objects.filter(pk=id, rider=request.user).first()
        if reservation is None:  # another rider's is not found either
            raise MobileError("err_ReservationNotFound", "No reservation of yours has this id.", 404)
        lifecycle.reservation_cancel(reservation=reservation)
        return self.respond(ReservationOut(_reservation_read(reservation.pk)).data)
