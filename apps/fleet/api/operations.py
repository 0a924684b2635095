"""The fleet's dashboard operations, declared in Python beside their views (apps.core.catalog.declare): each input with
the rule the API enforces, the OpenAPI document shows and the generated tests violate.

The seed's (clusters, stations, vehicles, models, alerts, maintenances) were generated once from
docs/api/operations.json on 2026-12-04 and are owned here since; apps/core/tests/test_conformance.py holds them to the
contract's catalog. The vehicle commands are the product's extension of it (docs/api.md, "Extensions of the
contract"); commands are sent through apps.fleet.commands."""
from decimal import Decimal

from apps.core.catalog import Constraint, array, boolean, declare, integer, number, param, string
from apps.core.enums import ALERT_TYPES, TIMEZONES

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


# The seed's operations.
DECOMMISSION_REASONS = ("lost-or-stolen", "sold", "irreparable", "economical")

declare("listClusters", "GET", "/clusters",
        api="dashboard", tag="Clusters", access="permission", permission="stations",
        summary="Get clusters",
        description="Return clusters of the specified networks with availability, spot count info, dates, etc.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the vehicles.")),
        ))

declare("searchClusters", "GET", "/clusters/search",
        api="dashboard", tag="Clusters", access="permission", permission="stations",
        summary="Search cluster",
        description="Search for cluster with a given name in specified networks.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("name", "query", string(min_length=1), required=True, doc="Search value."),
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get clusters.")),
            param("badge_reader", "query", boolean(), doc="Search only for station with a badge reader."),
        ))

declare("getCluster", "GET", "/clusters/{id}",
        api="dashboard", tag="Clusters", access="permission", permission="stations",
        summary="Get cluster details",
        description="Return the details of the specified cluster.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the cluster."),
            param("lang", "query", string(min_length=2, max_length=2), required=True,
                  doc="The lang in which to get the cluster description localized."),
        ))

declare("decommissionCluster", "DELETE", "/clusters/{id}",
        api="dashboard", tag="Clusters", access="permission", permission="stations.advanced", write=True,
        summary="Delete cluster",
        description="Mark the cluster has decommissioned.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the cluster to delete."),
        ))

declare("addClusterPicture", "POST", "/clusters/{id}/pictures",
        api="dashboard", tag="Clusters", access="permission", permission="stations", write=True,
        body_content_type="multipart/form-data",
        summary="Add cluster picture",
        description="Upload a picture to the specified cluster.",
        response_sample="",
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the cluster of which we want to add a picture."),
            param("cluster_picture", "body", string(fmt="binary"), required=True, doc="The picture file data."),
        ))

declare("deleteClusterPicture", "DELETE", "/clusters/{id}/pictures",
        api="dashboard", tag="Clusters", access="permission", permission="stations", write=True,
        summary="Delete cluster picture",
        description="Delete a cluster picture.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the cluster of which we want to delete a picture."),
            param("picture", "query", string(min_length=1), required=True,
                  doc=("Example: picture=clusterpictures/96361409-5115-e583-9c6f-2ee87903ce76.jpg Key of the picture"
                       " that we want to delete.")),
        ))

declare("listClusterStations", "GET", "/clusters/{id}/stations",
        api="dashboard", tag="Clusters", access="permission", permission="stations",
        summary="Get stations",
        description=("Return station's details of the specified cluster with all spots and contained vehicle if "
                     "present."),
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the cluster."),
        ))

declare("listClusterStationOutages", "GET", "/clusters/{id}/outages",
        api="dashboard", tag="Clusters", access="permission", permission="stations",
        summary="Get station outages",
        description="Return outages history of all physical station linked to the specified cluster.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the cluster."),
        ))

declare("setClusterCommissioningDate", "PUT", "/clusters/{id}/commissioning-date",
        api="dashboard", tag="Clusters", access="permission", permission="stations.advanced", write=True,
        summary="Set commissioning date",
        description="Set cluster's commissioning date.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the cluster."),
            param("date", "body", string(fmt="date-time"), required=True,
                  doc="The date at which the cluster should be commissioned."),
        ))

declare("listClusterMaintenances", "GET", "/clusters/{id}/maintenances",
        api="dashboard", tag="Clusters", access="permission", permission="stations",
        summary="Get maintenances",
        description="Return the history of all maintenances on spot for the specified cluster.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the cluster."),
        ))

declare("updateClusterLocation", "PUT", "/clusters/{id}/location",
        api="dashboard", tag="Clusters", access="permission", permission="stations", write=True,
        summary="Update cluster location",
        description=("Update the location (text) of the cluster. This address is for informational purposes only, "
                     "it does not move the pin of the station."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the cluster of which we want to change location."),
            param("location", "body", string(min_length=5, max_length=100), required=True,
                  doc="The new location of the cluster."),
        ))

declare("updateClusterSettings", "PUT", "/clusters/{id}/settings",
        api="dashboard", tag="Clusters", access="permission", permission="stations.advanced", write=True,
        summary="Update cluster settings",
        description=("Update the max unlock distance, the internal comment and allow to force the cluster to be "
                     "down."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the cluster of which we want to change settings."),
            param("max_unlock_distance", "body", integer(minimum=25, maximum=500), required=True,
                  doc="The maximum distance between user position and the cluster to allow vehicle unlocking."),
            param("comment", "body", string(min_length=1, max_length=500), required=True,
                  doc=("Internal comment, only displayed on the dashboard. Can be used to set contact information, "
                       "etc.")),
        ))

declare("updateClusterDescription", "PUT", "/clusters/{id}/description",
        api="dashboard", tag="Clusters", access="permission", permission="stations", write=True,
        summary="Update cluster description",
        description=("Update the description of the cluster. This description is visible by end users, it allow to"
                     " specify information to end users."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the cluster of which we want to change description."),
            param("lang", "body", string(min_length=2, max_length=2), required=True,
                  doc="The language of the description."),
            param("description", "body", string(min_length=1, max_length=500, nullable=True), required=True,
                  doc="The text of the description."),
        ))

declare("listFleetAlerts", "GET", "/fleet-alerts",
        api="dashboard", tag="FleetAlerts", access="permission", permission="vehicles.alerts",
        summary="Get fleet alerts",
        description="Returns current fleet alerts of the specified networks.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the fleet alerts.")),
        ))

declare("listFleetAlertsHistory", "GET", "/fleet-alerts/history",
        api="dashboard", tag="FleetAlerts", access="permission", permission="vehicles.alerts",
        summary="Get fleet alerts history",
        description="Returns old fleet alerts of the specified networks.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the fleet alerts.")),
            param("primary_key_dir", "query", string(enum=("ASC", "DESC"), default="DESC"),
                  doc="Sort direction of the transaction identifier."),
            param("page_size", "query", integer(minimum=10, maximum=500, default=20),
                  doc="The maximum items to return."),
            param("last_primary_key", "query", integer(minimum=1),
                  doc="Identifier of the last transaction on the current page, used to request the next page."),
            param("sort_by", "query", string(enum=("creation_date", "alert_severity", "resolved_at")),
                  doc="Custom sort key."),
            param("sort_dir", "query", string(enum=("ASC", "DESC"), default="DESC"),
                  doc="Sort direction of the custom sort key."),
            param("alert_type", "query", string(enum=ALERT_TYPES), doc="Filter by alert type."),
            param("alert_severity", "query", string(enum=("low", "high", "critical")),
                  doc="Filter by alert severity."),
            param("creation_date_min", "query", string(fmt="date"),
                  doc="Filter the minimum alert creation date."),
            param("creation_date_max", "query", string(fmt="date"),
                  doc="Filter the maximum alert creation date."),
            param("user_id", "query", integer(minimum=1),
                  doc="Filter by the user's identifier who made the transaction."),
            param("email", "query", string(min_length=1),
                  doc="Filter by the user's email who made the transaction (partial match search)."),
            param("resolved_at_min", "query", string(fmt="date"), doc="Filter by minimum resolution date."),
            param("resolved_at_max", "query", string(fmt="date"), doc="Filter by maximum resolution date."),
            param("cluster_name", "query", string(min_length=1, max_length=50),
                  doc="What the name of the cluster concerned by the alert should contains."),
            param("cluster_id", "query", integer(minimum=1),
                  doc="Filter by the id of the cluster concerned by the alert."),
            param("vehicle_id", "query", integer(minimum=1),
                  doc="Filter by the id of the vehicle concerned by the alert."),
            param("serial_number", "query", string(min_length=6, max_length=10),
                  doc="Filter by serial number of a vehicle concerned by the alert."),
        ))

declare("resolveFleetAlerts", "POST", "/fleet-alerts/resolve",
        api="dashboard", tag="FleetAlerts", access="permission", permission="vehicles.alerts", write=True,
        summary="Resolve alerts",
        description="Mark the specified alerts as resolved.",
        response_sample='{ "code": 0 }',
        params=(
            param("alert_ids", "body", array(integer(minimum=1), min_items=1), required=True,
                  doc="Array of identifier to resolve."),
        ))

declare("listCurrentMaintenances", "GET", "/maintenances",
        api="dashboard", tag="Maintenances", access="permission", permission="maintenances",
        summary="Get current maintenances",
        description=("Route to get all current maintenances of the active fleet (vehicle on station or virtual "
                     "parked, spots, stations)."),
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get fleet maintenance.")),
            param("lang", "query", string(min_length=2, max_length=2), required=True,
                  doc="The lang in which to get the maintenance types localized."),
        ))

declare("createMaintenanceType", "POST", "/maintenance-types",
        api="dashboard", tag="Maintenances", access="permission", permission="maintenances", write=True,
        summary="Create maintenance type",
        description="Create a new maintenance type.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "body", string(min_length=1, max_length=50), required=True,
                  doc="Unique key of maintenance type."),
            param("target_type", "body", string(enum=("station", "spot", "vehicle")), required=True,
                  doc="The type of object on which this type applies."),
            param("severity", "body", string(enum=("info", "low", "high")), required=True,
                  doc=("The severity of the problem.   • info: this does not impact the service but still need to be"
                       " known   • low: this reduce the quality of the service   • high: this make the service "
                       "unusable")),
        ))

declare("deleteMaintenanceType", "DELETE", "/maintenance-types",
        api="dashboard", tag="Maintenances", access="permission", permission="maintenances", write=True,
        summary="Delete maintenance type",
        description="Remove the maintenance type, avoiding it from being used to create new maintenances.",
        response_sample='{ "code": 0 }',
        params=(
            param("key", "query", string(min_length=1, max_length=50), required=True,
                  doc="The key of the maintenance type to delete."),
        ))

declare("decommissionStation", "POST", "/stations/{id}/decommission",
        api="dashboard", tag="Stations", access="permission", permission="stations.advanced", write=True,
        summary="Decommission station",
        description="Decommission a station.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the station."),
        ))

declare("getStationEnergyConsumption", "GET", "/stations/{id}/energy-consumption",
        api="dashboard", tag="Stations", access="permission", permission="stations.advanced",
        summary="Get energy consumption",
        description="Return the energy consumption of the station in the specified range.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the station."),
            param("start_date", "query", string(fmt="date"), required=True, doc="The start date of the period."),
            param("end_date", "query", string(fmt="date"), required=True,
                  doc="The end date of the period. Should be after the start_date."),
            param("timezone", "query", string(enum=TIMEZONES), required=True,
                  doc="The timezone of the user making the request."),
        ))

declare("listVehicles", "GET", "/vehicles",
        api="dashboard", tag="Vehicles", access="permission", permission="vehicles.manage",
        summary="Get vehicles",
        description="Fetch the list of vehicles for the specific network.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the vehicles.")),
        ))

declare("generateVehicleQrCode", "GET", "/vehicles/qr-code",
        api="dashboard", tag="Vehicles", access="authenticated", permission="vehicles.register",
        summary="Generate vehicle QR code",
        description="Generate a QR code for the given vehicle serial number.",
        response_sample='{ "code": -39999999, "message": {...} }',
        params=(
            param("serial", "query", string(pattern=r"^[a-zA-Z0-9]{6,10}$"), required=True,
                  doc="Serial number to print on the QR code."),
        ))

declare("listDecommissionedVehicles", "GET", "/vehicles/decommissioned",
        api="dashboard", tag="Vehicles", access="permission", permission="vehicles.manage",
        summary="Get decommissioned vehicles",
        description="Fetch the list of decommissioned vehicles for specified networks.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the decommissioned vehicles.")),
        ))

declare("generateVehicleQrCodeSheet", "GET", "/vehicles/qr-code-sheet",
        api="dashboard", tag="Vehicles", access="authenticated", permission="vehicles.register",
        summary="Generate vehicle QR code sheet",
        description="Generate sheet with QR codes for vehicles generated for the given parameters.",
        response_sample='{ "code": -39999999, "message": {...} }',
        params=(
            param("prefix", "query", string(pattern=r"^[A-Z][A-Z0-9]{0,6}$"), required=True,
                  doc="Prefix of the QR codes."),
            param("begin_id", "query", integer(minimum=0), required=True,
                  doc="First id of the vehicle to generate, will be incremented for every QR code."),
            param("width_in_cm", "query", number(minimum=0), required=True, doc="Width of the sheet in centimeters."),
            param("height_in_cm", "query", number(minimum=0), required=True,
                  doc="Height of the sheet in centimeters."),
        ))

declare("listUsedSerials", "GET", "/vehicles/used-serials",
        api="dashboard", tag="Vehicles", access="authenticated", permission="vehicles.register",
        summary="Get used serials",
        description="Return the list of used serial number from the given list.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("serials", "query", array(string(min_length=1)), required=True,
                  doc=("Examples:   • serials=SXB123 - With one serial number.   • serials=SXB123,SXB234,SXB345 - "
                       "With multiple serial numbers. List of serial number to check.")),
        ))

declare("getVehicle", "GET", "/vehicles/{id}",
        api="dashboard", tag="Vehicles", access="permission", permission="vehicles.manage",
        summary="Get vehicle detail",
        description="Fetch the detail of the specified vehicle.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
        ))

declare("decommissionVehicle", "DELETE", "/vehicles/{id}",
        api="dashboard", tag="Vehicles", access="permission", permission="vehicles.manage", write=True,
        summary="Decommission vehicle",
        description="Decommission a vehicle.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
            param("reason", "query", string(enum=DECOMMISSION_REASONS), required=True,
                  doc="Why the vehicle is decommissioned."),
            param("comment", "query", string(min_length=1, max_length=200), doc="Optional comment on decommission."),
            param("amount", "query", number(fmt="float"),
                  doc=("Optional amount when the vehicle is sold, or the cost (negative amount) when the vehicle is "
                       "recycled. Currency is the currency of the last vehicle's network.")),
        ))

declare("getVehicleQrCode", "GET", "/vehicles/{id}/qr-code",
        api="dashboard", tag="Vehicles", access="authenticated", permission="vehicles.register",
        summary="Get vehicle QR code",
        description="Generate the QR code for the given vehicle.",
        response_sample='{ "code": -39999999, "message": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
        ))

declare("changeVehicleNetwork", "PUT", "/vehicles/{id}/network",
        api="dashboard", tag="Vehicles", access="permission", permission="vehicles.manage", write=True,
        summary="Change vehicle network",
        description="Change the current network of a vehicle.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
            param("network_id", "body", integer(minimum=1), required=True,
                  doc="Identifier of the new network for the vehicle."),
        ))

declare("listVehicleMaintenances", "GET", "/vehicles/{id}/maintenances",
        api="dashboard", tag="Vehicles", access="permission", permission="vehicles.manage",
        summary="Get vehicle maintenances",
        description="Route to get all maintenances (current and old one) of a vehicle.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
            param("lang", "query", string(min_length=2, max_length=2), required=True,
                  doc="The lang in which to get the maintenance types localized."),
        ))

declare("listVehicleAlerts", "GET", "/vehicles/{id}/alerts",
        api="dashboard", tag="Vehicles", access="permission", permission="vehicles.manage",
        summary="Get vehicle alerts",
        description="Route to get current alerts of a vehicle.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
        ))

declare("registerExternalLock", "POST", "/external-locks",
        api="dashboard", tag="VehiclesExternalLocks", access="permission", permission="vehicles.manage", write=True,
        summary="Register external lock",
        description="Register an external lock on the given vehicle.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("vehicle_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the vehicle on which the lock is installed."),
            param("model", "body", string(min_length=1, max_length=64), required=True, doc="The model of the lock."),
            param("type", "body", string(enum=("u", "foldable", "flexible", "chain", "frame")), required=True,
                  doc="The type of the lock"),
            param("serial_number", "body", string(min_length=1, max_length=64), required=True,
                  doc="The unique serial number of the lock."),
            param("code", "body", string(min_length=1, max_length=16), required=True,
                  doc="The code to open the lock."),
        ))

declare("decommissionExternalLock", "DELETE", "/vehicles/{id}/external-lock",
        api="dashboard", tag="VehiclesExternalLocks", access="permission", permission="vehicles.manage", write=True,
        summary="Decommission lock",
        description="Decommission a vehicle external lock.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
        ))

declare("updateExternalLockCode", "PUT", "/vehicles/{id}/external-lock/code",
        api="dashboard", tag="VehiclesExternalLocks", access="permission", permission="vehicles.manage", write=True,
        summary="Update lock code",
        description=("Change the access code of an external lock (still require a physical operation on the lock, "
                     "this only change the displayed code in the application)."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
            param("code", "body", string(min_length=1, max_length=16), required=True, doc="The new code."),
        ))
