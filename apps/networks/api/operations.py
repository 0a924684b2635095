"""The networks operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import declare, integer, number, param, string
from apps.core.enums import CURRENCIES, TIMEZONES

declare("getOutOfOrder", "GET", "/out-of-orders/{id}",
        api="dashboard", tag="Clusters", access="permission", permission="stations",
        summary="Get out of order details",
        description="Return the details of the specified out of order.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the cluster."),
            param("lang", "query", string(min_length=2, max_length=2), required=True,
                  doc="The lang in which to get the cluster description localized."),
        ))

declare("listNetworks", "GET", "/networks",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get networks",
        description=("Return all networks with some indicators (network's owner, creation date, total stations, "
                     "vehicles and trips)."),
        response_sample='{ "code": 0, "data": [...] }')

declare("createNetwork", "POST", "/networks",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Create a network",
        description="Create a new network.",
        response_sample='{ "code": 0, "data": 1 }',
        params=(
            param("name", "body", string(min_length=1, max_length=200), required=True, doc="The new network's name."),
            param("default_vat", "body", number(minimum=0, maximum=1), required=True,
                  doc="The default vat percentage of the network."),
            param("country_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the country where the network is situated."),
            param("currency", "body", string(enum=CURRENCIES), required=True,
                  doc=("The currency of the network. Used for default_vehicle_guarantee, offers, and network "
                       "pricing.")),
            param("default_vehicle_guarantee", "body", number(minimum=0), required=True,
                  doc="The amount of the pre-authorization to rent a vehicle on the network."),
            param("trip_to_skip_pre_auth_guarantee", "body", integer(minimum=-1), required=True,
                  doc=("Number of trips to be finished in order not to have the pre-authorization (-1: "
                       "pre-authorization is mandatory, 0: pre-authorization never performed).")),
            param("timezone", "body", string(enum=TIMEZONES), required=True,
                  doc="The timezone where the network is situated."),
            param("third_party_id", "body", integer(minimum=1),
                  doc="The identifier of the third party that own the network (if any)."),
            param("app_label_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of default app label of the network."),
        ))

declare("listNetworksShort", "GET", "/networks/short",
        api="dashboard", tag="Networks", access="permission", permission="dashboard.access",
        summary="Get short networks list",
        description=("Get the list of authorized networks in activity for the user. The main purpose is the "
                     "dashboard network selector."),
        response_sample='{ "code": 0, "data": [...] }')

declare("getNetwork", "GET", "/networks/{network_id}",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage",
        summary="Get network detail",
        description="Return details of the specified network.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="Identifier of the network."),
        ))

declare("closeNetwork", "DELETE", "/networks/{network_id}",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Delete a network",
        description="Mark a network as definitively closed.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the network to delete."),
        ))

declare("createNetworkOutOfOrder", "POST", "/networks/{network_id}/out-of-orders",
        api="dashboard", tag="Networks", access="permission", permission="networks.manage", write=True,
        summary="Set out of order",
        description="Add an out of order for a specific network.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("type", "body", string(enum=("other", "winter")), required=True, doc="Type of the out of order."),
            param("reason", "body", string(min_length=1, max_length=100), doc="Reason of the out of order."),
            param("start_date", "body", string(fmt="date-time"), required=True,
                  doc="Start date of the out of order."),
            param("end_date", "body", string(fmt="date-time", nullable=True), doc="End date of the out of order."),
        ))

declare("updateOutOfOrder", "PUT", "/out-of-orders/{id}",
        api="dashboard", tag="Out of order", access="permission", permission="networks.manage", write=True,
        summary="Update out of order",
        description="Update an out of order.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the out of order."),
            param("reason", "body", string(min_length=1, max_length=100, nullable=True),
                  doc="The out of order reason."),
            param("end_date", "body", string(fmt="date-time", nullable=True), doc="The out of order end date."),
        ))

declare("listThirdParties", "GET", "/third-parties",
        api="dashboard", tag="ThirdParties", access="permission", permission="networks.manage",
        summary="Get third-parties",
        description="Get the list of the third-parties already imported.",
        response_sample='{ "code": 0, "data": [...] }')

declare("createThirdParty", "POST", "/third-parties",
        api="dashboard", tag="ThirdParties", access="permission", permission="networks.manage", write=True,
        summary="Create third-party",
        description="Create a third-party not linked to the ERP.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("name", "body", string(min_length=1, max_length=255), required=True, doc="The third-party's name."),
            param("address", "body", string(min_length=1, max_length=512), required=True,
                  doc="The third-party's address number and street."),
            param("zipcode", "body", string(min_length=1, max_length=10), required=True,
                  doc="The third-party's address zip code."),
            param("city", "body", string(min_length=1, max_length=128), required=True,
                  doc="The third-party's address city."),
            param("country_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the country in which the third party is located."),
        ))

declare("listErpThirdParties", "GET", "/third-parties/erp",
        api="dashboard", tag="ThirdParties", access="permission", permission="networks.manage",
        summary="Get third-parties from the ERP",
        description="Get the list of not imported third-parties from the ERP.",
        response_sample='{ "code": 0, "data": [...] }')

declare("importErpThirdParty", "POST", "/third-parties/erp/import",
        api="dashboard", tag="ThirdParties", access="permission", permission="networks.manage", write=True,
        summary="Import third-party",
        description="Import a third-party from the ERP.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("erp_id", "body", integer(minimum=1), required=True, doc="The ERP third-party's identifier."),
        ))
