"""The dashboard's vehicle command operations, declared in Python (apps.core.catalog.declare): the product's extension
of the seed's catalog (docs/api.md, "Extensions of the contract"). Commands are sent through apps.fleet.commands."""
from decimal import Decimal

from apps.core.catalog import Constraint, declare, param

TAG = "VehicleCommands"
ID = Constraint(kind="integer", minimum=Decimal(1), maximum=Decimal(2**63 - 1))
PAGE = (
    param("page_size", "query", Constraint(kind="integer", minimum=Decimal(10), maximum=Decimal(500), default=20),
          doc="The maximum items to return."),
    param("last_primary_key", "query", ID, doc="Identifier of the last row of the previous page."),
    param("primary_key_dir", "query", Constraint(kind="string", enum=("ASC", "DESC"), default="DESC"),
          doc="Sort direction of the identifier."),
)
PERMISSION = "vehicles.manage"
OBJECT = '{ "code": 0, "data": {...} }'

LIST_COMMANDS = declare(
    "listVehicleCommands", "GET", "/vehicle-commands", api="dashboard", tag=TAG, access="permission",
    permission=PERMISSION, response_sample='{ "code": 0, "data": [...], "total": 1 }',
    summary="List the commands sent to a vehicle",
    description="Newest first, with each command's state, attempts and answer; those sent while the vehicle was in "
                "a network the caller sees.",
    params=(param("vehicle_id", "query", ID, required=True, doc="The vehicle."), *PAGE))

SEND_COMMAND = declare(
    "sendVehicleCommand", "POST", "/vehicles/{id}/commands", api="dashboard", tag=TAG, access="permission",
    permission=PERMISSION, write=True, response_sample=OBJECT,
    errors={"409": "vehicle.decommissioned."},
    summary="Send a command to a vehicle",
    description=(
        "Lock, unlock, ring or reboot the vehicle through its IoT provider. The command is sent after the answer "
        "(a task), sent again when the vehicle does not answer within 30 s, three times at most, then timed out; "
        "its state is read with listVehicleCommands."),
    params=(param("id", "path", ID, required=True, doc="The vehicle."),
            param("command", "body", Constraint(kind="string", enum=("lock", "unlock", "ring", "reboot")),
                  required=True, doc="What the vehicle should do.")))

SET_MAX_SPEED = declare(
    "setVehicleMaxSpeed", "POST", "/vehicles/{id}/max-speed", api="dashboard", tag=TAG, access="permission",
    permission=PERMISSION, write=True, response_sample=OBJECT,
    errors={"409": "vehicle.decommissioned."},
    summary="Set a vehicle's maximum speed",
    description="Sends the vehicle its new top speed in km/h (a command, as sendVehicleCommand).",
    params=(param("id", "path", ID, required=True, doc="The vehicle."),
            param("max_speed", "body", Constraint(kind="integer", minimum=Decimal(6), maximum=Decimal(45)),
                  required=True, doc="km/h.")))
