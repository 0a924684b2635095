"""The pricing operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import HOUR_OF_DAY, array, declare, integer, number, param

# A pricing rule's fields, created or changed alike.
PRICING_RULE = (
    param("start_dow", "body", integer(minimum=0, maximum=6), required=True,
          doc="The start day of week. 0 is Sunday."),
    param("start_hod", "body", HOUR_OF_DAY, required=True,
          doc="The time when the rule start (Network local time)."),
    param("end_dow", "body", integer(minimum=0, maximum=6), required=True,
          doc="The end day of week. 0 is Sunday."),
    param("end_hod", "body", HOUR_OF_DAY, required=True,
          doc="The time when the rule end (Network local time)."),
    param("unlock_price", "body", number(minimum=0, fmt="float"), required=True,
          doc="The price to unlock a vehicle on the network."),
    param("unlock_included_time", "body", number(minimum=0), required=True,
          doc=("Use time in second included in the unlock price. Once this time has elapsed, the use price "
               "per minute applies.")),
    param("freefloat_lock_price", "body", number(minimum=0, fmt="float"), required=True,
          doc="The price to lock a vehicle in freefloat mode on the network."),
    param("use_per_minute_price", "body", number(minimum=0, fmt="float"), required=True,
          doc="The price by minute to rent a vehicle on the network."),
    param("on_hold_price", "body", number(minimum=0, fmt="float"), required=True,
          doc=("The price by minute to keep a vehicle on-hold (rented but locked). Usually lower than "
               "use_per_minute_price.")),
    param("network_id", "body", integer(minimum=1), required=True,
          doc="Network identifier on which this price applies."),
)


declare("listPricing", "GET", "/pricing",
        api="dashboard", tag="Pricing", access="permission", permission="networks.manage",
        summary="Get pricing",
        description=("Return pricing (price by minute of rent, price to unlock and to free float lock) of the "
                     "specified network."),
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the pricing.")),
        ))

declare("createPricing", "POST", "/pricing",
        api="dashboard", tag="Pricing", access="permission", permission="networks.manage", write=True,
        summary="Add pricing",
        description="Add a pricing rule for the specified network.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            *PRICING_RULE,
        ))

declare("updatePricing", "PUT", "/pricing/{id}",
        api="dashboard", tag="Pricing", access="permission", permission="networks.manage", write=True,
        summary="Update pricing",
        description="Update the specified pricing rule.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The pricing's identifier."),
            *PRICING_RULE,
        ))

declare("deletePricing", "DELETE", "/pricing/{id}",
        api="dashboard", tag="Pricing", access="permission", permission="networks.manage", write=True,
        summary="Delete pricing",
        description="Delete the specified pricing rule.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The pricing's identifier."),
        ))
