"""The audit operations of the seed's dashboard catalog, declared in Python beside their views: each input with the rule
the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import declare, integer, param, string

declare("listAccessLogs", "GET", "/access-logs",
        api="dashboard", tag="AccessLogs", access="permission", permission="developer",
        summary="Get access logs",
        description="Return dashboard access logs.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("page_size", "query", integer(minimum=10, maximum=500, default=20),
                  doc="The maximum items to return."),
            param("last_primary_key", "query", integer(minimum=1),
                  doc="Identifier of the last access log record on the current page, used to request the next page."),
            param("date_min", "query", string(fmt="datetime"), doc="The minimum date of access logs to show."),
            param("date_max", "query", string(fmt="datetime"), doc="The maximum date of access logs to show."),
            param("user_id", "query", integer(minimum=1), doc="The user id to show."),
            param("target_path", "query", string(min_length=1, max_length=2048),
                  doc="The path that was requested by the user."),
            param("verb", "query", string(min_length=1, max_length=10), doc="The request http method."),
            param("user_agent", "query", string(min_length=1, max_length=2048),
                  doc="The user agent used for the request."),
            param("ip", "query", string(min_length=1, max_length=128),
                  doc="The ip address used for the request."),
            param("http_code_min", "query", integer(minimum=0),
                  doc="The minimum value of the http response status to show."),
            param("http_code_max", "query", integer(minimum=0),
                  doc="The maximum value of the http response status to show."),
            param("knot_code_min", "query", integer(), doc="The minimum value of the response code to show."),
            param("knot_code_max", "query", integer(), doc="The maximum value of the response code to show."),
        ))
