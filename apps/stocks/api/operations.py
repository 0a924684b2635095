"""The stocks operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, declare, integer, number, param, string

declare("listStocks", "GET", "/stocks",
        api="dashboard", tag="Stocks", access="permission", permission="stocks.manage",
        summary="Get stocks",
        description="Fetch the list of stocks address for the specific network.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the stocks.")),
        ))

declare("createStock", "POST", "/stocks",
        api="dashboard", tag="Stocks", access="permission", permission="stocks.manage", write=True,
        summary="Create stock",
        description="Create a new stock address where vehicles can be stored.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("name", "body", string(min_length=4, max_length=128), required=True,
                  doc="The name of the new address."),
            param("country", "body", integer(minimum=1), required=True,
                  doc="The identifier of the country of the new address."),
            param("city", "body", string(min_length=1, max_length=128), required=True,
                  doc="The name of the city of the new address."),
            param("zipcode", "body", string(min_length=1, max_length=16), required=True,
                  doc="The zipcode of the new address."),
            param("street", "body", string(min_length=1, max_length=128), required=True,
                  doc="The street number and name of the new address."),
        ))

declare("deleteStock", "DELETE", "/stocks/{id}",
        api="dashboard", tag="Stocks", access="permission", permission="stocks.manage", write=True,
        summary="Delete stock",
        description="Remove the specified stock address.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the stock address."),
        ))

declare("listStockVehicles", "GET", "/stocks/vehicles",
        api="dashboard", tag="Stocks", access="permission", permission="stocks.vehicles",
        summary="Get stocks vehicles",
        description="Fetch the list of vehicles stored in the specified stock address.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("stocks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • stocks=5 - With one stocks id.   • stocks=1,5,7 - With multiple stocks id. "
                       "Identifier of stocks of which to get the content.")),
        ))

declare("updateStockShape", "PUT", "/stocks/shape",
        api="dashboard", tag="Stocks", access="permission", permission="stocks.manage", write=True,
        summary="Update stock shape",
        description="Define a new shape for the auto stock feature for the specified stock.",
        response_sample='{ "code": 0 }',
        params=(
            param("stock_id", "body", number(minimum=1), required=True, doc="Identifier of the stock."),
            param("shape", "body", array(number(), min_items=3, opaque_items=True), required=True,
                  doc="New shape of the network's border which is a list of GPS coordinates."),
        ))
