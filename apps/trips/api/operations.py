"""The trips operations of the seed's dashboard catalog, declared in Python beside their views: each input with the rule
the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, boolean, declare, integer, param, string

declare("listTrips", "GET", "/trips",
        api="dashboard", tag="Trips", access="permission", permission="trips",
        summary="Get trips",
        description="Return trips made on specified networks.",
        response_sample='{ "code": 0, "data": [...], "total": 0 }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get trips.")),
            param("primary_key_dir", "query", string(enum=("ASC", "DESC"), default="DESC"),
                  doc="Sort direction of the trip identifier."),
            param("page_size", "query", integer(minimum=10, maximum=500, default=20),
                  doc="The maximum items to return."),
            param("last_primary_key", "query", integer(minimum=1),
                  doc="Identifier of the last trip on the current page, used to request the next page."),
            param("sort_by", "query", string(enum=("start_date", "end_date", "duration", "distance")),
                  doc="Custom sort key."),
            param("sort_dir", "query", string(enum=("ASC", "DESC"), default="DESC"),
                  doc="Sort direction of the custom sort key."),
            param("state", "query", array(string(enum=("finished", "running", "on-hold", "cancelled"))),
                  doc=("Examples:   • state=finished - With one state   • state=running,on-hold - With multiple "
                       "state States of the trip to show.")),
            param("start_date_min", "query", string(fmt="datetime"),
                  doc="The minimum start date of trips to show."),
            param("start_date_max", "query", string(fmt="datetime"),
                  doc="The maximum start date of trips to show."),
            param("end_date_min", "query", string(fmt="datetime"), doc="The minimum end date of trips to show."),
            param("end_date_max", "query", string(fmt="datetime"), doc="The maximum end date of trips to show."),
            param("trip_id_min", "query", integer(minimum=1), doc="The minimum trip id to show."),
            param("trip_id_max", "query", integer(minimum=1), doc="The maximum trip id to show."),
            param("serial_number", "query", string(min_length=1, max_length=10),
                  doc="Filter by serial number of the rented vehicle."),
            param("model_name", "query", string(min_length=1, max_length=20),
                  doc="Filter by model of the rented vehicle."),
            param("demo", "query", boolean(),
                  doc="Whether to show only demonstration or non-demonstration trips."),
            param("email", "query", string(), doc="What the user email should contains."),
            param("user_id", "query", integer(minimum=1), doc="The identifier of the user to get trips of."),
            param("cluster_start_name", "query", string(min_length=1, max_length=50),
                  doc="What the name of the starting cluster should contains."),
            param("cluster_start_id", "query", integer(minimum=1),
                  doc="The identifier of the starting cluster of trips to get."),
            param("cluster_end_name", "query", string(min_length=1, max_length=50),
                  doc="What the name of the ending cluster should contains."),
            param("cluster_end_id", "query", integer(minimum=1),
                  doc="The identifier of the ending cluster of trips to get."),
            param("duration_min", "query", integer(minimum=0),
                  doc="Minimum duration of trips to get (in seconds)."),
            param("duration_max", "query", integer(minimum=0),
                  doc="Maximum duration of trips to get (in seconds)."),
            param("distance_min", "query", integer(minimum=0),
                  doc="Minimum traveled distance of trips to get (in meters)."),
            param("distance_max", "query", integer(minimum=0),
                  doc="Maximum traveled distance of trips to get (in meters)."),
        ))

declare("getTrip", "GET", "/trips/{id}",
        api="dashboard", tag="Trips", access="permission", permission="trips",
        summary="Get trip detail",
        description="Return the detail of a trip.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of trip to get the detail of."),
        ))

declare("setTripBillingStop", "PUT", "/trips/{id}/billing-stop",
        api="dashboard", tag="Trips", access="permission", permission="trips", write=True,
        summary="Stop trip billing",
        description="Set the trip billing stop date, do not set a date to erase a previous stop date.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of trip to get the detail of."),
            param("date", "body", string(fmt="date-time", nullable=True), required=True,
                  doc="The date at which to stop the billing."),
        ))

declare("getVehicleStatistics", "GET", "/vehicles/{id}/statistics",
        api="dashboard", tag="Vehicles", access="permission", permission="vehicles.manage",
        summary="Get vehicle statistic",
        description="Fetch the statistic of the specified vehicle.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
        ))

declare("getVehicleTimeline", "GET", "/vehicles/{id}/timeline",
        api="dashboard", tag="Vehicles", access="permission", permission="vehicles.manage",
        summary="Get vehicle timeline",
        description="Fetch the timeline (trip, parking, maintenance move) of the specified vehicle.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the vehicle."),
            param("before_date", "query", string(fmt="date-time"),
                  doc="The date of the oldest element that the client has, to get the elements coming before it."),
        ))
