"""The support operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, boolean, declare, integer, param, string

declare("listReports", "GET", "/reports",
        api="dashboard", tag="Reports", access="permission", permission="users.support",
        summary="Get reports",
        description="Return reports of specified networks.",
        response_sample='{ "code": 0, "data": [...], "total": 0 }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get users.")),
            param("primary_key_dir", "query", string(enum=("ASC", "DESC"), default="DESC"),
                  doc="Sort direction of the user identifier."),
            param("page_size", "query", integer(minimum=10, maximum=500, default=20),
                  doc="The maximum items to return."),
            param("last_primary_key", "query", integer(minimum=1),
                  doc="Identifier of the last user on the current page, used to request the next page."),
            param("sort_by", "query", string(enum=("date",)), doc="Custom sort key."),
            param("email", "query", string(min_length=1), doc="Filter by email."),
            param("archived", "query", boolean(),
                  doc="Filter by current reports (false) or archived reports (true)"),
        ))

declare("getReport", "GET", "/reports/{id}",
        api="dashboard", tag="Reports", access="permission", permission="users.support",
        summary="Get a report",
        description="Return details of a report.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the report."),
        ))

declare("resolveReport", "POST", "/reports/{id}/resolve",
        api="dashboard", tag="Reports", access="permission", permission="users.support", write=True,
        summary="Resolve report",
        description="Mark the specified report as resolved.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the report."),
        ))

declare("sendReportMessage", "POST", "/reports/{id}/messages",
        api="dashboard", tag="Reports", access="permission", permission="users.support", write=True,
        summary="Send message",
        description="Send a chat message to the specified report's chat.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the report to which send the message."),
            param("message", "body", string(min_length=1, max_length=2000), required=True,
                  doc="The network to link to the report."),
            param("page", "body", string(min_length=1, max_length=256),
                  doc=("The name of app page or the url linked to this message (the app will show a button if "
                       "present).")),
        ))

declare("editReportMessage", "PUT", "/reports/{id}/messages/{message_id}",
        api="dashboard", tag="Reports", access="permission", permission="users.support", write=True,
        summary="Edit message",
        description="Update the specified chat message.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the report in which the message is."),
            param("message_id", "path", string(fmt="bigint"), required=True,
                  doc="Identifier of the message to edit."),
            param("message", "body", string(min_length=1, max_length=2000), required=True,
                  doc="The network to link to the report."),
        ))

declare("deleteReportMessage", "DELETE", "/reports/{id}/messages/{message_id}",
        api="dashboard", tag="Reports", access="permission", permission="users.support", write=True,
        summary="Delete message",
        description="Delete the specified chat message.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the report in which the message is."),
            param("message_id", "path", string(fmt="bigint"), required=True,
                  doc="Identifier of the message to edit."),
        ))

declare("listReportMessages", "GET", "/reports/{id}/messages",
        api="dashboard", tag="Reports", access="permission", permission="users.support",
        summary="Get chat messages",
        description="Return paginated messages of the specified report's chat ordered by newest.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the report of which to get messages."),
            param("last_message_date", "query", string(fmt="date-time"),
                  doc="Offset to apply on the query to retrieve older message."),
        ))

declare("sendReportImage", "POST", "/reports/{id}/images",
        api="dashboard", tag="Reports", access="permission", permission="users.support", write=True,
        body_content_type="multipart/form-data",
        summary="Send image",
        description="Send an image to the specified report's chat.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the report to which send the message."),
            param("chat_image", "body", string(fmt="binary"), required=True, doc="The picture file data."),
        ))

declare("linkReportNetwork", "POST", "/reports/{id}/networks",
        api="dashboard", tag="Reports", access="permission", permission="users.support", write=True,
        summary="Link to a network",
        description="Link the specified network to the report.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the report."),
            param("network_id", "body", integer(minimum=1), required=True, doc="The network to link to the report."),
        ))

declare("unlinkReportNetwork", "DELETE", "/reports/{id}/networks/{network_id}",
        api="dashboard", tag="Reports", access="permission", permission="users.support", write=True,
        summary="Unlink to a network",
        description="Unlink the specified network from the report.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the report."),
            param("network_id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the network to unlink."),
        ))
