"""The balancing operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import declare, integer, number, param, string

# A cluster's balancing target, created or changed alike.
BALANCING_TARGET = (
    param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
    param("cluster_id", "body", integer(minimum=0), required=True, doc="The identifier of the cluster."),
    param("target_count", "body", integer(), required=True,
          doc=("The number of vehicle that we target (to be less than for donor clusters and greater than "
               "for receiver clusters).")),
)


declare("listClusterBalancing", "GET", "/networks/{network_id}/balancing",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get clusters balancing",
        description="Get the list of cluster that beneficiate from balancing.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
        ))

declare("createClusterBalancing", "POST", "/networks/{network_id}/balancing",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Create cluster balancing",
        description="Add a cluster to the list of clusters that beneficiate from balancing.",
        response_sample='{ "code": 0 }',
        params=(
            *BALANCING_TARGET,
            param("balancing_type", "body", string(enum=("donor", "receiver")), required=True,
                  doc=("The type of the station for the balancing discounts. Renting a vehicle from a donor station "
                       "to a receiver station will grant the user a discount on its trip.")),
        ))

declare("updateClusterBalancing", "PUT", "/networks/{network_id}/balancing",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Update cluster balancing",
        description="Update the target count of a cluster balancing.",
        response_sample='{ "code": 0 }',
        params=(
            *BALANCING_TARGET,
        ))

declare("deleteClusterBalancing", "DELETE", "/networks/{network_id}/balancing",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Delete cluster balancing",
        description="Remove a cluster from the list of clusters that beneficiate from balancing.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("cluster_id", "query", integer(minimum=1), required=True, doc="The cluster's identifier."),
        ))

declare("listClusterBalancingDiscounts", "GET", "/networks/{network_id}/balancing/discounts",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get clusters balancing discounts",
        description="Get the discount amount of a clusters balancing discount.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
        ))

declare("updateClusterBalancingDiscount", "PUT", "/networks/{network_id}/balancing/discounts",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Update cluster balancing discount",
        description="Update the discount of a cluster balancing route.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("donor_cluster_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the cluster on which the trip need to start."),
            param("receiver_cluster_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the cluster on which the trip need to finish."),
            param("discount_amount", "body", number(), required=True,
                  doc="The amount of the discount applied to the trip."),
        ))

declare("getClusterBalancingEstimate", "GET", "/networks/{network_id}/balancing/estimate",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get estimate",
        description="Get the average duration of the x percent of the fastest trips between two clusters.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("donor_cluster_id", "query", integer(minimum=1), required=True,
                  doc="The cluster id on which the trip start."),
            param("receiver_cluster_id", "query", integer(minimum=1), required=True,
                  doc="The cluster id on which the trip finish."),
            param("fastest_trip_percentage", "query", integer(minimum=1, maximum=50), required=True,
                  doc="The size of the sample of trips to use."),
        ))
