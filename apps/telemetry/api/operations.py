"""The dashboard's telemetry operation, declared in Python (apps.core.catalog.declare): the product's extension of the
seed's catalog (docs/api.md, "Extensions of the contract")."""
from decimal import Decimal

from apps.core.catalog import Constraint, declare, param

TAG = "VehicleTelemetry"
ID = Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(2**63 - 1))
VEHICLE_ID = param("vehicle_id", "query", ID, required=True, doc="The vehicle.")
PERMISSION = "vehicles.manage"

LIST_TELEMETRY = declare(
    "listVehicleTelemetry", "GET", "/vehicle-telemetry", api="dashboard", tag=TAG, access="permission",
    permission=PERMISSION, response_sample='{ "code": 0, "data": [...] }',
    summary="Read a vehicle's messages over a time range",
    description=(
        "The messages the vehicle reported between `from` (included) and `to` (excluded), at most 24 hours apart, "
        "oldest first, up to `limit`. Only the messages reported while the vehicle was in a network the caller sees: "
        "a vehicle moved to another network leaves its history in the first. With `Accept: text/csv`, the same "
        "messages as CSV (a header row, a row a message)."),
    params=(VEHICLE_ID,
            param("from", "query", Constraint(kind="string", fmt="date-time"), required=True,
                  doc="Start of the range (ISO 8601)."),
            param("to", "query", Constraint(kind="string", fmt="date-time"), required=True,
                  doc="End of the range, at most 24 hours after `from`."),
            param("limit", "query", Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(20_000),
                                               default=5000), doc="The most messages returned.")))

