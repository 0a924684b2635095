"""The riders' app trip lifecycle operations, declared in Python: each input with the rule the API enforces, the
OpenAPI document shows and the generated validation tests violate (apps.core.catalog.declare).

The seed's three (the coupon, the additional costs, the history) were generated once from
docs/api/mobile-operations.json on 2026-12-04 and are owned here since; apps/core/tests/test_conformance.py holds them
to the contract's catalog."""
from decimal import Decimal

from apps.core.catalog import Constraint, declare, integer, param, string
from apps.riders.mobile.operations import APP_PLATFORM, APP_VERSION

TAG = "RiderTrips"
GUID = param("guid", "path", Constraint(kind="string", fmt="uuid"), required=True, doc="The trip's guid.")
LATITUDE = Constraint(kind="number", minimum=Decimal(-90), maximum=Decimal(90))
LONGITUDE = Constraint(kind="number", minimum=Decimal(-180), maximum=Decimal(180))
TRIP_SAMPLE = '{ "Result": "Ok", "Data": { "Guid": "...", "Status": "running", ... } }'

START = declare(
    "startTrip", "POST", "/trips/start", tag=TAG, write=True, response_sample=TRIP_SAMPLE,
    errors={"402": "err_DebtUnpaid, err_NoPaymentMethod, err_PaymentDeclined (docs/rider-api.md).",
            "403": "err_UserBlocked, err_NetworkAccessDenied.",
            "404": "err_VehicleNotFound.",
            "409": "err_TermsNotAccepted, err_OrganizationMaxVehicles, err_TooManyTrips, err_VehicleOnTrip, "
                   "err_VehicleInMaintenance, err_VehicleInStock, err_VehicleDecommissioned, err_BatteryTooLow, "
                   "err_TooFarFromVehicle, err_PaymentUnavailable, err_PaymentPending (checked in this order).",
            "426": "err_AppTooOld, with StoreUrl.", "502": "err_UnlockFailed: the trip ended free."},
    summary="Start a trip",
    description="Unlocks the vehicle named by its code for the rider, after the checks of docs/rider-api.md in "
                "their order, and holds the guarantee on the rider's card unless the network skips it. Accepts an "
                "Idempotency-Key: a double tap starts one trip.",
    params=(
        param("VehicleCode", "body", Constraint(kind="string", min_length=1, max_length=10), required=True,
              doc="The code printed on the vehicle (its serial number)."),
        param("Latitude", "body", LATITUDE, required=True, doc="Where the rider stands."),
        param("Longitude", "body", LONGITUDE, required=True, doc="Where the rider stands."),
        param("PaymentMode", "body", Constraint(kind="string", enum=("card", "wallet"), default="card"),
              doc="How the rider pays this trip: card (default) or wallet."),
        APP_PLATFORM, APP_VERSION,
    ))

GET = declare("getRiderTrip", "GET", "/trips/{guid}", tag=TAG, params=(GUID,), response_sample=TRIP_SAMPLE,
              summary="Get one of the rider's trips", description="The trip's state, times, cost and payment.")

PAUSE = declare("pauseTrip", "POST", "/trips/{guid}/pause", tag=TAG, write=True, params=(GUID,),
                errors={"409": "err_TripNotRunning, err_PauseNotAllowed."},
                response_sample=TRIP_SAMPLE, summary="Pause a trip",
                description="Puts the running trip on hold (billed at the on-hold price), where the network allows it.")

RESUME = declare("resumeTrip", "POST", "/trips/{guid}/resume", tag=TAG, write=True, params=(GUID,),
                 errors={"409": "err_TripNotPaused."},
                 response_sample=TRIP_SAMPLE, summary="Resume a paused trip", description="Back to running.")

END = declare(
    "endTrip", "POST", "/trips/{guid}/end", tag=TAG, write=True, response_sample=TRIP_SAMPLE,
    errors={"409": "err_OutsideBorder, err_TripAlreadyEnded.",
            "502": "err_LockFailed: the trip goes on."},
    summary="End a trip",
    description="Locks the vehicle, ends the trip where the network's position rules allow it, prices it and takes "
                "the rider's part (wallet, or the card's hold, or the card). Accepts an Idempotency-Key.",
    params=(GUID, param("Latitude", "body", LATITUDE, required=True, doc="Where the vehicle is left."),
            param("Longitude", "body", LONGITUDE, required=True, doc="Where the vehicle is left.")))

NEARBY = declare(
    "listNearbyVehicles", "GET", "/vehicles/nearby", tag="RiderMap",
    response_sample='{ "Result": "Ok", "Data": [ {...} ] }',
    summary="Vehicles a rider can start near a point",
    description="The vehicles of the rider's app label's networks within the radius that pass the start's vehicle "
                "checks (free, not in maintenance or a stock, charged enough), nearest first, at most 50.",
    params=(param("Latitude", "query", LATITUDE, required=True), param("Longitude", "query", LONGITUDE, required=True),
            param("Radius", "query", Constraint(kind="integer", minimum=Decimal(10), maximum=Decimal(5000),
                                                default=500), doc="Meters, 10 to 5000 (default 500).")))

RESERVATION_SAMPLE = '{ "Result": "Ok", "Data": { "Id": 1, "VehicleCode": "...", "ExpiresAt": "...", "Status": ' \
                     '"active" } }'
RESERVE = declare(
    "reserveVehicle", "POST", "/reservations", tag=TAG, write=True, response_sample=RESERVATION_SAMPLE,
    errors={"402": "err_DebtUnpaid, err_NoPaymentMethod.", "403": "err_UserBlocked, err_NetworkAccessDenied.",
            "404": "err_VehicleNotFound.",
            "409": "err_TermsNotAccepted, err_OrganizationMaxVehicles, err_TooManyTrips, err_VehicleOnTrip, "
                   "err_VehicleReserved, err_VehicleInMaintenance, err_VehicleInStock, err_VehicleDecommissioned, "
                   "err_BatteryTooLow, err_ReservationsOff, err_AlreadyReserving (checked in this order)."},
    summary="Reserve a vehicle",
    description="Holds the vehicle for the rider for the network's reservation time (ExpiresAt): no other rider can "
                "start it meanwhile. The start's rider and vehicle checks apply. Starting the vehicle ends the "
                "reservation; starting another gives it up. Accepts an Idempotency-Key.",
    params=(param("VehicleCode", "body", Constraint(kind="string", min_length=1, max_length=10), required=True,
                  doc="The code printed on the vehicle (its serial number)."),))

CURRENT_RESERVATION = declare(
    "getCurrentReservation", "GET", "/reservations/current", tag=TAG, response_sample=RESERVATION_SAMPLE,
    summary="The rider's reservation in force", description="No Data when the rider holds no vehicle.")

CANCEL_RESERVATION = declare(
    "cancelReservation", "DELETE", "/reservations/{id}", tag=TAG, write=True, response_sample=RESERVATION_SAMPLE,
    errors={"404": "err_ReservationNotFound.", "409": "err_ReservationNotActive: it ended or expired."},
    summary="Cancel a reservation", description="Gives the vehicle back before the reservation expires.",
    params=(param("id", "path", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(2**63 - 1)),
                  required=True, doc="The reservation's id."),))

# --- the map -------------------------------------------------------------------------------------------------------
MAP = "RiderMap"
NETWORK_ID = param("id", "path", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(2**31 - 1)),
                   required=True, doc="A network of the rider's app label.")

NETWORKS = declare(
    "listRiderNetworks", "GET", "/networks", tag=MAP, response_sample='{ "Result": "Ok", "Data": [ {...} ] }',
    summary="The networks of the rider's app",
    description="The open networks of the rider's app label, by name, with what the app shows before a trip: "
                "currency, reservation time, whether pauses are allowed, the parking rule and its fee, and the "
                "bounds of the service area when it has a border.")

STATIONS = declare(
    "listNetworkStations", "GET", "/networks/{id}/stations", tag=MAP, params=(NETWORK_ID,),
    errors={"404": "err_NetworkNotFound."}, response_sample='{ "Result": "Ok", "Data": [ {...} ] }',
    summary="The network's stations",
    description="Its clusters in service with their position, the vehicles a rider could take there now (docked, in "
                "service, not in maintenance, not reserved by another rider) and the free docks.")

GEOFENCING = declare(
    "getNetworkGeofencing", "GET", "/networks/{id}/geofencing", tag=MAP, params=(NETWORK_ID,),
    errors={"404": "err_NetworkNotFound."}, response_sample='{ "Result": "Ok", "Data": { "Border": {...}, ... } }',
    summary="The network's geofencing layers",
    description="The border, the virtual parkings, the no-parking zones and the speed zones in force, as GeoJSON "
                "geometries ([longitude, latitude]), with the parking rule the end of a trip follows.")

PRICE_PREVIEW = declare(
    "previewTripPrice", "GET", "/vehicles/price-preview", tag=MAP, errors={"404": "err_VehicleNotFound."},
    response_sample='{ "Result": "Ok", "Data": { "Total": "2.95", "Currency": "EUR", "Lines": [ {...} ] } }',
    summary="What a ride on a vehicle would cost",
    description="The network's pricing engine on a ride of the given minutes starting now on this vehicle, ended "
                "where it was taken (a free-floating vehicle pays the free-floating lock), line by line; then what "
                "the rider's subscription and pass would cover (read, not used) and what his organization would pay "
                "of the rest: AmountDue. Promotions and coupons apply at the end.",
    params=(param("VehicleCode", "query", Constraint(kind="string", min_length=1, max_length=10), required=True),
            param("Minutes", "query", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(1440),
                                                 default=20), doc="The ride's length, 1 to 1440 (default 20).")))

PAY_DEBT = declare(
    "payTripDebt", "POST", "/trips/{guid}/pay", tag=TAG, write=True, params=(GUID,), response_sample=TRIP_SAMPLE,
    errors={"402": "err_NoPaymentMethod, err_PaymentDeclined.", "409": "err_NoDebt, err_PaymentUnavailable, "
                                                                        "err_PaymentPending."},
    summary="Pay an unpaid trip",
    description="Charges what the trip still owes (its part, less what was paid of it) on the rider's default card; "
                "paid, the trip no longer refuses the next start. A double tap pays once, with or without an "
                "Idempotency-Key.")


# The seed's operations (business-mobile-trips.txt).
declare("applyTripCoupon", "POST", "/trips/apply-coupon",
        api="mobile", tag="MobileTrips", access="authenticated", write=True,
        summary="Apply a coupon to a trip",
        description="Applies the coupon to the rider's trip and recomputes its cost when already computed.",
        response_sample='{ "Result": "Ok" }',
        params=(
            param("t", "query", string(), doc="Optional client timestamp."),
            param("Trip", "body", string(fmt="uuid"), required=True, doc="The trip guid."),
            param("Coupon", "body", string(min_length=1), required=True, doc="The coupon code."),
        ))

declare("listTripAdditionalCosts", "GET", "/trips/{guid}/additional-costs/list",
        api="mobile", tag="MobileTrips", access="authenticated",
        summary="List a trip's additional costs",
        description="Paged list of the additional costs of the rider's trip.",
        response_sample='{ "Result": "Ok", "Data": {...} }',
        params=(
            param("guid", "path", string(fmt="uuid"), required=True, doc="The trip guid."),
            param("PageIndex", "query", integer(minimum=0, default=0), doc="The page index (0-based)."),
            param("PageSize", "query", integer(minimum=1, maximum=100, default=20), doc="The page size."),
        ))

declare("getTripHistory", "POST", "/trips/history",
        api="mobile", tag="MobileTrips", access="authenticated",
        summary="Get the rider's trip history",
        description="Returns the rider's completed trips opened inside the range, with costing data.",
        response_sample='{ "Result": "Ok", "Data": {...} }',
        params=(
            param("fromDate", "body", string(fmt="date-time", nullable=True), doc="Start of the range."),
            param("toDate", "body", string(fmt="date-time", nullable=True), doc="End of the range."),
        ))
