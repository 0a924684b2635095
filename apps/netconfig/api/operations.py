"""The netconfig operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import boolean, declare, integer, number, param, string

declare("listNetworkAccessRules", "GET", "/networks/{network_id}/access-rules",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get access rules",
        description="Return access rules of a given network.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the network of which to get access rules."),
        ))

declare("createNetworkAccessRule", "POST", "/networks/{network_id}/access-rules",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Create access rule",
        description="Create a new access rule for a given network.",
        response_sample='{ "code": 0, "data": 1 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the network on which to create the access rule."),
            param("email_pattern", "body", string(pattern=r"^[a-zA-Z0-9@._(){}[\]|*+?%#\\-]+$"),
                  doc="A pgsql pattern that specifies which email can access this network."),
            param("organization", "body", integer(minimum=1),
                  doc="The identifier of an organization that can access this network."),
            param("app_label", "body", integer(minimum=1),
                  doc="The identifier of the app white label that can access this network."),
        ))

declare("updateNetworkAccessRule", "PUT", "/networks/{network_id}/access-rules/{rid}",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Update access rule",
        description="Update the given network access rule.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the network on which the access rule is."),
            param("rid", "path", integer(minimum=1), required=True,
                  doc="Identifier of the network access rule to edit."),
            param("email_pattern", "body",
                  string(pattern=r"^[a-zA-Z0-9@._(){}[\]|*+?%#\\-]+$", nullable=True), required=True,
                  doc="A pgsql pattern that specifies which email can access this network."),
            param("organization", "body", integer(minimum=1, nullable=True), required=True,
                  doc="The identifier of an organization that can access this network."),
            param("app_label", "body", integer(minimum=1, nullable=True), required=True,
                  doc="The identifier of the app white label that can access this network."),
        ))

declare("deleteNetworkAccessRule", "DELETE", "/networks/{network_id}/access-rules/{rid}",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Delete access rule",
        description="Delete the given network access rule.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the network on which the access rule is."),
            param("rid", "path", integer(minimum=1), required=True,
                  doc="Identifier of the network access rule to delete."),
        ))

declare("updateNetworkSponsorship", "PUT", "/networks/{network_id}/sponsorship",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Update network sponsorship",
        description="Update network the amount of sponsorship rewards.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("sponsoring_reward", "body", number(minimum=0), required=True,
                  doc="The amount given to the wallet of the user that sponsored another user."),
            param("sponsored_reward", "body", number(minimum=0), required=True,
                  doc="The amount given to the wallet of the sponsored user, when he made his first trip."),
        ))

declare("listNetworkVehicleModelSettings", "GET", "/networks/{network_id}/vehicle-models/settings",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get networks vehicle models settings",
        description="Get the list of vehicle models with a specific settings on the network.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
        ))

declare("listNetworkVehicleModelGuarantees", "GET", "/networks/{network_id}/vehicle-models/guarantees",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get networks vehicle models guarantees",
        description="Get the list of vehicle models with a specific guarantee on the network.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
        ))

declare("updateNetworkVehicleModelSettings", "PUT", "/networks/{network_id}/vehicle-models/{model_id}/settings",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        body_content_type="multipart/form-data",
        summary="Update vehicle settings",
        description="Update vehicle settings for a specific network and vehicle model.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("model_id", "path", integer(minimum=1), required=True, doc="The vehicle model identifier."),
            param("auto_light", "body", boolean(), required=True,
                  doc="True to automatically turn on the vehicle light when unlocking."),
            param("speed_mode", "body", integer(enum=(1, 2, 3), nullable=True), required=True,
                  doc=("If not null, block the vehicle speed mode in the specified mode and disable the speed button"
                       " (1 = ECO, 2 = NORMAL, 3 = SPORT).")),
        ))

declare("updateNetworkVehicleModelGuarantees", "PUT", "/networks/{network_id}/vehicle-models/{model_id}/guarantees",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        body_content_type="multipart/form-data",
        summary="Update vehicle guarantees",
        description="Update vehicle guarantees for a specific network and vehicle model.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("model_id", "path", integer(minimum=1), required=True, doc="The vehicle model identifier."),
            param("guarantee", "body", number(minimum=0, fmt="float"), required=True,
                  doc="The amount that will be billed to the user if it does not return the vehicle."),
            param("pre_auth", "body", number(minimum=0, fmt="float"), required=True,
                  doc="The amount that will be asked for the vehicle model for a pre auth before starting a trip."),
        ))

declare("getNetworkSpeedSettings", "GET", "/networks/{network_id}/speed-settings",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get networks vehicle speed settings",
        description="Get the speed settings for vehicles of the network.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
        ))

declare("updateNetworkSpeedSettings", "PUT", "/networks/{network_id}/speed-settings",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        body_content_type="multipart/form-data",
        summary="Update networks vehicle speed settings",
        description="Update the speed settings for vehicles of the network.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("default_low_speed", "body", integer(), required=True, doc="The default low speed of vehicles."),
            param("default_medium_speed", "body", integer(), required=True,
                  doc="The default medium speed of vehicles."),
            param("default_high_speed", "body", integer(), required=True, doc="The default high speed of vehicles."),
            param("min_battery_to_slow_down", "body", integer(nullable=True), required=True,
                  doc="The battery level at which the vehicle will slow down."),
            param("battery_slow_down_speed", "body", integer(nullable=True), required=True,
                  doc=("The speed at which the vehicle will be maxed out when the battery reach the min battery "
                       "level.")),
        ))

declare("resetNetworkVehicleSettings", "POST", "/networks/{network_id}/vehicle-settings/reset",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Reset vehicles settings",
        description="Reset all vehicles settings with IoT for a specific network.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
        ))

declare("getNetworkRentSettings", "GET", "/networks/{network_id}/rent-settings",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get rent settings",
        description="Return rent settings and timings of the specified network.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="Identifier of the network."),
        ))

declare("updateNetworkRentSettings", "PUT", "/networks/{network_id}/rent-settings",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Update rent settings",
        description="Update rent settings of the specified network.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("default_vehicle_guarantee", "body", number(minimum=0), required=True,
                  doc="The amount of the vehicle guarantee."),
            param("trip_to_skip_pre_auth_guarantee", "body", integer(minimum=-1), required=True,
                  doc=("Number of trips to be finished in order not to skip the pre-authorization (-1: mandatory "
                       "pre-authorization, 0: never pre-authorization).")),
            param("first_purchase_required", "body", boolean(), required=True,
                  doc="Force user to do a purchase before renting for the first time."),
            param("min_battery_to_rent", "body", integer(minimum=10, maximum=95), required=True,
                  doc="The minimum battery level of a vehicle to be able to rent it."),
            param("max_simultaneous_rented_vehicle", "body", integer(minimum=1, maximum=10), required=True,
                  doc="Maximum number of vehicle that can be rented at the same time by one user."),
            param("trip_on_hold", "body", boolean(), required=True,
                  doc="Indicate if user can put trip on hold (temporary lock)."),
            param("credit_depletion_auto_lock", "body", boolean(), required=True,
                  doc="Force to lock the vehicle if user doesn't has enough credit on it's account."),
            param("min_battery_to_auto_lock", "body", integer(minimum=1, maximum=50, nullable=True), required=True,
                  doc="Force to lock the vehicle if the battery is lower than the indicated level ."),
        ))

declare("updateNetworkRentTimings", "PUT", "/networks/{network_id}/rent-timings",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Update rent timings",
        description="Update rent timings of the specified network.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("trip_too_long_notifications", "body", number(minimum=3600, maximum=604800), required=True,
                  doc=("Time after which the user will receive notifications that his trip is too long and he should"
                       " return the vehicle.")),
            param("trip_too_long_notifications_frequency", "body",
                  integer(minimum=900, maximum=604800), required=True,
                  doc="Frequency in seconds of sending return vehicle notifications."),
            param("vehicle_stolen", "body", integer(minimum=43200, maximum=2592000), required=True,
                  doc="Time after which a vehicle is considered stolen if it is still not returned."),
            param("trip_auto_pause", "body", integer(minimum=0, maximum=604800), required=True,
                  doc=("Time after which the trip will be on-hold (temporarily lock) if the vehicle doesn't move "
                       "anymore.")),
            param("trip_max_pause", "body", integer(minimum=0, maximum=604800), required=True,
                  doc=("Maximum duration of a pause. If the user doesn't unlock the vehicle after this delay, the "
                       "trip will be stopped and the vehicle will be available to everyone.")),
            param("trip_auto_lock", "body", integer(minimum=0, maximum=604800), required=True,
                  doc=("Maximum duration of a trip. The vehicle will be lock and the trip stopped if it exceed this "
                       "value.")),
        ))

declare("getNetworkFreefloatReward", "GET", "/networks/{network_id}/freefloat-reward",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get freefloat to station reward",
        description="Return freefloat to station reward of the specified network.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="Identifier of the network."),
        ))

declare("updateNetworkFreefloatReward", "PUT", "/networks/{network_id}/freefloat-reward",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Update freefloat to station reward",
        description="Update freefloat to station reward of the specified network.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("freefloat_to_station_discount_per_km", "body",
                  number(minimum=0, maximum=99999999, fmt="float", nullable=True),
                  doc="The amount given to the user per km made on a trip from freefloat to a station."),
            param("freefloat_to_station_free_credits", "body",
                  number(minimum=0, maximum=99999999, fmt="float", nullable=True),
                  doc="The amount given for a vehicle that returns to a station."),
            param("freefloat_to_receiver_station_free_credits", "body",
                  number(minimum=0, maximum=99999999, fmt="float", nullable=True),
                  doc="The amount given for a vehicle that returns to a station that is a receiver."),
            param("freefloat_to_station_min_battery", "body", integer(minimum=0, maximum=100, nullable=True),
                  doc=("The minimum battery level of the vehicle. If the vehicle has a greater battery level the "
                       "rewards won't be granted.")),
        ))
