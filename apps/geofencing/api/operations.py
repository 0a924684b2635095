"""The geofencing operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, boolean, declare, integer, number, param

declare("listClusterParkings", "GET", "/clusters/{id}/parkings",
        api="dashboard", tag="Clusters", access="permission", permission="virtual.parking",
        summary="Get cluster parkings",
        description="Return virtual parkings of the specified cluster with contained vehicle if present.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the cluster."),
        ))

declare("createClusterParking", "POST", "/clusters/{id}/parkings",
        api="dashboard", tag="Clusters", access="permission", permission="virtual.parking", write=True,
        summary="Create cluster parking",
        description="Create a virtual parking attached to this cluster.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the cluster."),
            param("shape", "body", array(number(), opaque_items=True), required=True,
                  doc="Shape of virtual parking as a list of points making a polygon."),
            param("capacity", "body", integer(minimum=0), required=True, doc="How many vehicle can be parked."),
        ))

declare("getNetworkBorder", "GET", "/geofencing/border",
        api="dashboard", tag="Geofencing", access="permission", permission="networks.manage",
        summary="Get network border",
        description="Get the border of the specified network and the setting of the border",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("network_id", "query", integer(minimum=1), required=True, doc="Identifier of the network."),
        ))

declare("updateNetworkBorderShape", "PUT", "/geofencing/border/shape",
        api="dashboard", tag="Geofencing", access="permission", permission="networks.manage", write=True,
        summary="Update border shape",
        description="Define a new shape for the border of the specified network.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "body", number(minimum=1), required=True, doc="Identifier of the network"),
            param("shape", "body", array(number(), min_items=3, opaque_items=True), required=True,
                  doc="New shape of the network's border which is a list of GPS coordinates."),
        ))

declare("updateNetworkBorderSettings", "PUT", "/geofencing/border/settings",
        api="dashboard", tag="Geofencing", access="permission", permission="networks.manage", write=True,
        summary="Update border settings",
        description="Update border's settings (action when a vehicle leave the limit) of the specified network.",
        response_sample='{ "code": 0 }',
        params=(
            param("trigger_alert", "body", boolean(), required=True,
                  doc="Indicate if an alert should be created when a vehicle leave the limit of the network."),
            param("notify_user", "body", boolean(), required=True,
                  doc=("Indicate if the user should receive a push notification when he leave the limit of the "
                       "network while renting a vehicle.")),
            param("reduce_vehicle_speed", "body", boolean(), required=True,
                  doc=("Indicate if the speed of the vehicle should be reduce to minimum when it leave the limit of "
                       "the network.")),
            param("play_vehicle_sound", "body", boolean(), required=True,
                  doc=("Indicate if the vehicle should play the geofencing sound when it leave the limit of the "
                       "network.")),
            param("lock_vehicle", "body", boolean(), required=True,
                  doc="Indicate if the vehicle should be locked when it leave the limit of the network."),
            param("network_id", "body", number(minimum=1), required=True, doc="Identifier of the network"),
        ))

declare("listSpeedZones", "GET", "/geofencing/speed-zones",
        api="dashboard", tag="Geofencing", access="permission", permission="networks.manage",
        summary="Get speed zones",
        description="Get the list of available speed zone for the specified network.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("network_id", "query", integer(minimum=1), required=True, doc="Identifier of the network."),
        ))

declare("createSpeedZone", "POST", "/geofencing/speed-zones",
        api="dashboard", tag="Geofencing", access="permission", permission="networks.manage", write=True,
        summary="Create speed zone",
        description="Create a new speed zone.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "body", integer(minimum=1), required=True, doc="Identifier of the network."),
            param("shape", "body", array(number(), opaque_items=True), required=True,
                  doc="Shape of this speed zone as a list of points making a polygon."),
            param("max_speed", "body", integer(minimum=6, maximum=25), required=True, doc="Max speed authorized."),
        ))

declare("updateSpeedZone", "PUT", "/geofencing/speed-zones",
        api="dashboard", tag="Geofencing", access="permission", permission="networks.manage", write=True,
        summary="Update speed zone",
        description="Update the speed zone.",
        response_sample='{ "code": 0 }',
        params=(
            param("speed_zone_id", "body", integer(minimum=1), required=True, doc="Identifier of the speed zone."),
            param("shape", "body", array(number(), opaque_items=True),
                  doc="Shape of this speed zone as a list of points making a polygon."),
            param("max_speed", "body", integer(minimum=6, maximum=25), doc="Max speed authorized."),
        ))

declare("deleteSpeedZone", "DELETE", "/geofencing/speed-zones/{id}",
        api="dashboard", tag="Geofencing", access="permission", permission="networks.manage", write=True,
        summary="Delete speed zone",
        description="Add a deletion date to the speed zone.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the speed zone."),
        ))

declare("listVirtualParkings", "GET", "/geofencing/virtual-parkings",
        api="dashboard", tag="Geofencing", access="permission", permission="virtual.parking",
        summary="Get virtual parking",
        description="Get the list of virtual parking for the specified network.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("network_id", "query", integer(minimum=1), required=True, doc="Identifier of the network."),
        ))

declare("createVirtualParking", "POST", "/geofencing/virtual-parkings",
        api="dashboard", tag="Geofencing", access="permission", permission="virtual.parking", write=True,
        summary="Create virtual parking",
        description="Create a new virtual parking (not attached to a cluster).",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("shape", "body", array(number(), opaque_items=True), required=True,
                  doc="Shape of virtual parking as a list of points making a polygon."),
            param("capacity", "body", integer(minimum=0), required=True, doc="How many vehicle can be parked."),
            param("network_id", "body", integer(minimum=1, nullable=True), required=True,
                  doc="Identifier of the network to whom the parking lot will belong."),
        ))

declare("updateVirtualParking", "PUT", "/geofencing/virtual-parkings/{id}",
        api="dashboard", tag="Geofencing", access="permission", permission="virtual.parking", write=True,
        summary="Update virtual parking",
        description="Update the virtual parking.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the virtual parking."),
            param("shape", "body", array(number(), opaque_items=True), required=True,
                  doc="Shape of virtual parking as a list of points making a polygon."),
            param("capacity", "body", integer(minimum=0), required=True, doc="How many vehicle can be parked."),
        ))

declare("deleteVirtualParking", "DELETE", "/geofencing/virtual-parkings/{id}",
        api="dashboard", tag="Geofencing", access="permission", permission="virtual.parking", write=True,
        summary="Delete virtual parking",
        description="Delete the specified virtual parking.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the virtual parking."),
        ))
