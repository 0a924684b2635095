"""The discounts operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import declare, integer, number, param, string

declare("listDiscounts", "GET", "/discounts",
        api="dashboard", tag="Discounts", access="permission", permission="offers",
        summary="Get discounts",
        description="Get the list of available discounts with discounts codes.",
        response_sample='{ "code": 0, "data": [...] }')

declare("createDiscount", "POST", "/discounts",
        api="dashboard", tag="Discounts", access="permission", permission="offers", write=True,
        summary="Create a discount",
        description="Create a new discount.",
        response_sample='{ "code": 0, "data": 1 }',
        params=(
            param("network_id", "body", integer(minimum=1), required=True, doc="The network's identifier."),
            param("name", "body", string(), required=True, doc="The new discount's name."),
            param("type", "body", integer(enum=(1, 2, 3, 5, 6)), required=True,
                  doc=("The new discount's type. 1: Add credits to the user; 2: Discount on the price of the next "
                       "trip; 3: Percentage discount on all future purchases until the stop date of the discount; 5:"
                       " Discount on the price of the next purchase; 6: Percentage discount on all future trips "
                       "until the stop date of the discount.")),
            param("data", "body", number(minimum=0), required=True,
                  doc="The value of the discount (in percentage or in credit according to the type)."),
            param("start_date", "body", string(fmt="date"), required=True,
                  doc="The date from which the discount can be registered and used by the user."),
            param("request_end_date", "body", string(fmt="date", nullable=True), required=True,
                  doc="The date from which the discount can no longer be registered by the user."),
            param("stop_date", "body", string(fmt="date", nullable=True), required=True,
                  doc="The date from which the discount can no longer be used by the user."),
        ))

declare("updateDiscount", "PUT", "/discounts/{id}",
        api="dashboard", tag="Discounts", access="permission", permission="offers", write=True,
        summary="Update a discount",
        description="Update a discount.",
        response_sample='{ "code": 0, "data": 1 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the discount."),
            param("name", "body", string(), doc="The new discount's name."),
            param("data", "body", number(minimum=0),
                  doc="The value of the discount (in percentage or in credit according to the type)."),
            param("start_date", "body", string(fmt="date"),
                  doc="The date from which the discount can be registered and used by the user."),
            param("request_end_date", "body", string(fmt="date", nullable=True),
                  doc="The date from which the discount can no longer be registered by the user."),
            param("stop_date", "body", string(fmt="date", nullable=True),
                  doc="The date from which the discount can no longer be used by the user."),
        ))

declare("deleteDiscount", "DELETE", "/discounts/{id}",
        api="dashboard", tag="Discounts", access="permission", permission="offers", write=True,
        summary="Delete or disable a discount",
        description="Delete an unused discount or disable it if the discount has already been used.",
        response_sample='{ "code": 0, "data": 1 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the discount."),
        ))

declare("createDiscountCode", "POST", "/discounts/{id}/codes",
        api="dashboard", tag="Discounts", access="permission", permission="offers", write=True,
        summary="Create a discount code",
        description="Create a new discount code.",
        response_sample='{ "code": 0, "data": 1 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the discount to which the code should be linked."),
            param("code", "body", string(min_length=1, max_length=50, pattern=r"^[A-Z0-9-@_#]{1,50}$"), required=True,
                  doc="The discount code."),
            param("remaining", "body", integer(minimum=-1), required=True,
                  doc="Number of uses of the remaining code. -1 for unlimited."),
            param("email_access_pattern", "body",
                  string(min_length=1, pattern=r"^[a-zA-Z0-9@._(){}[\]|*+?%#\\-]+$"), required=True,
                  doc=("Pattern of the user's email that can use the code. Using '%' makes the code available to all"
                       " users.")),
        ))

declare("updateDiscountCode", "PUT", "/discount-codes/{id}",
        api="dashboard", tag="Discounts", access="permission", permission="offers", write=True,
        summary="Update a discount code",
        description="Update a discount code.",
        response_sample='{ "code": 0, "data": 1 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the discount code."),
            param("code", "body", string(min_length=1, max_length=50, pattern=r"^[A-Z0-9-@_#]{1,50}$"),
                  doc="The discount code."),
            param("remaining", "body", integer(minimum=-1),
                  doc="Number of uses of the remaining code. -1 for unlimited."),
            param("email_access_pattern", "body", string(min_length=1, pattern=r"^[a-zA-Z0-9@._(){}[\]|*+?%#\\-]+$"),
                  doc=("Pattern of the user's email that can use the code. Using '%' makes the code available to all"
                       " users.")),
        ))

declare("deleteDiscountCode", "DELETE", "/discount-codes/{id}",
        api="dashboard", tag="Discounts", access="permission", permission="offers", write=True,
        summary="Delete a discount code",
        description="Delete an unused discount code.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the discount code to delete."),
        ))
