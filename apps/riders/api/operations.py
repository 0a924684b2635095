"""The riders operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, boolean, declare, integer, number, param, string
from apps.core.enums import CURRENCIES, TIMEZONES

declare("listDeviceUsers", "GET", "/devices/{id}/users",
        api="dashboard", tag="Devices", access="permission", permission="users.support",
        summary="Get users using given device",
        description="Get the users that logged in with the same device as the given one.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", string(max_length=50), required=True,
                  doc="The identifier of the device to look for."),
        ))

declare("listUsers", "GET", "/users",
        api="dashboard", tag="Users", access="permission", permission="users.list",
        summary="Get users",
        description=("Return users of specified networks. A user belongs to a network from the moment he interacts"
                     " with (consult offers, make a trip)."),
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
            param("sort_by", "query", string(enum=("register_at", "last_activity", "trip_count")),
                  doc="Custom sort key."),
            param("user_id_min", "query", integer(minimum=1), doc="Filter the minimum user's identifier."),
            param("user_id_max", "query", integer(minimum=1), doc="Filter the maximum user's identifier."),
            param("email", "query", string(min_length=1), doc="Filter by email."),
            param("lastname", "query", string(min_length=1, max_length=50), doc="Filter by last name."),
            param("firstname", "query", string(min_length=1, max_length=50), doc="Filter by first name"),
            param("register_at_min", "query", string(fmt="datetime"), doc="Filter the minimum register date."),
            param("register_at_max", "query", string(fmt="datetime"), doc="Filter the maximum register date."),
            param("last_activity_min", "query", string(fmt="datetime"), doc="Filter the minimum last activity date."),
            param("last_activity_max", "query", string(fmt="datetime"), doc="Filter the maximum last activity date."),
            param("organization_name", "query", string(min_length=1, max_length=255),
                  doc="Filter by organization name"),
            param("blocked", "query", boolean(), doc="Filter by user's blocked"),
            param("trip_count_min", "query", number(minimum=0), doc="Filter the minimum trip ."),
            param("trip_count_max", "query", number(minimum=0), doc="Filter the maximum trip."),
            param("label_name", "query", string(min_length=1, max_length=20), doc="Filter by label name."),
            param("phone_number", "query", string(min_length=1, max_length=20), doc="Filter by phone number."),
            param("currency", "query", string(enum=CURRENCIES), required=True,
                  doc="Example: currency=EUR The currency in which to convert the amounts."),
            param("timezone", "query", string(enum=TIMEZONES), required=True,
                  doc="The timezone of the user making the request."),
            param("without_network", "query", boolean(), required=True,
                  doc="Show users that hasn't interact with any networks for the moment."),
        ))

declare("listUserBadges", "GET", "/users/{id}/badges",
        api="dashboard", tag="Users", access="permission", permission="users.badges",
        summary="Get user badges",
        description="Get the badges of the specified user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("getUserBlock", "GET", "/users/{id}/block",
        api="dashboard", tag="Users", access="permission", permission="users.block",
        summary="Get blocked information",
        description="Return the user who has block given user and since when he is blocked.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("blockUser", "POST", "/users/{id}/block",
        api="dashboard", tag="Users", access="permission", permission="users.block", write=True,
        summary="Block user",
        description="Block the specified user with the given reason.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("reason", "body", string(min_length=3, max_length=1000), required=True,
                  doc="Reason to block the user."),
        ))

declare("unblockUser", "DELETE", "/users/{id}/block",
        api="dashboard", tag="Users", access="permission", permission="users.block", write=True,
        summary="Unblock user",
        description="Unblock the specified user.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("listUserDevices", "GET", "/users/{id}/devices",
        api="dashboard", tag="Users", access="permission", permission="users.support",
        summary="Get user devices",
        description="Get the devices of the specified user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("sendUserMessage", "POST", "/users/{id}/messages",
        api="dashboard", tag="Users", access="permission", permission="users.support", write=True,
        summary="Send message to user",
        description="Send a message to the specified user",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("message", "body", string(min_length=3, max_length=1000), required=True,
                  doc="Content of the message to send to the user."),
        ))

declare("listUserPaymentMethods", "GET", "/users/{id}/payment-methods",
        api="dashboard", tag="Users", access="permission", permission="users.support",
        summary="Get user payment methods",
        description="Get payment providers and associated payment methods of the specified user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("deleteUserPaymentMethod", "DELETE", "/users/{id}/payment-methods/{user_method_id}",
        api="dashboard", tag="Users", access="permission", permission="users.support", write=True,
        summary="Delete user payment method",
        description=("Delete the specified payment method of the user. If the default payment method is deleted, a"
                     " new default payment method is selected automatically."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("user_method_id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the user payment method."),
        ))

declare("getUserProfile", "GET", "/users/{id}/profile",
        api="dashboard", tag="Users", access="permission", permission="users.list",
        summary="Get user profile",
        description="Get the profile of the specified user",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("getUserReport", "GET", "/users/{id}/report",
        api="dashboard", tag="Users", access="permission", permission="users.support",
        summary="Get the user report",
        description="Get the user report of a specific user",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("listUserLastActions", "GET", "/users/{id}/last-actions",
        api="dashboard", tag="Users", access="permission", permission="users.support",
        summary="Get user last actions",
        description="Get the last 10 actions (unlock request, trips, transactions) done by the user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("before_date", "query", string(fmt="date-time"),
                  doc="The date of the oldest element that the client has, to get the elements coming before it."),
        ))

declare("linkUserOrganization", "POST", "/users/{id}/organization",
        api="dashboard", tag="Users", access="permission", permission="organizations", write=True,
        summary="Link to organization",
        description="Link a user to an organization.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("organization", "body", integer(minimum=1), required=True,
                  doc="The identifier of the organization to which the user will be linked."),
            param("force", "body", boolean(), doc="True to unlink the current user's organization."),
        ))

declare("unlinkUserOrganization", "DELETE", "/users/{id}/organization",
        api="dashboard", tag="Users", access="permission", permission="organizations", write=True,
        summary="Unlink user from organization",
        description="Unlink a user from its organization.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("searchUsers", "GET", "/users/search",
        api="dashboard", tag="Users", access="permission", permission="users.list",
        summary="Search user",
        description="Search for user with a given email.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("email", "query", string(min_length=3, max_length=200), required=True, doc="Search value."),
        ))

declare("listUserMails", "GET", "/users/{id}/mails",
        api="dashboard", tag="Users", access="permission", permission="users.support",
        summary="Get user mails sent",
        description="Get the last 10 mails sent to the user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("before_date", "query", string(fmt="date-time"),
                  doc="The date of the oldest element that the client has, to get the elements coming before it."),
        ))

declare("listUserPushNotifications", "GET", "/users/{id}/push-notifications",
        api="dashboard", tag="Users", access="permission", permission="users.support",
        summary="Get user sent push notifications",
        description="Get the last 10 push notifications sent to the user.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("before_date", "query", string(fmt="date-time"),
                  doc="The date of the oldest element that the client has, to get the elements coming before it."),
        ))

declare("listUserApiRequests", "GET", "/users/{id}/api-requests",
        api="dashboard", tag="Users", access="permission", permission="developer",
        summary="Get user api requests",
        description="Get the api requests that the user made.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="Identifier of the user."),
            param("offset", "query", integer(minimum=0), doc="The page number. Defaults to 0."),
            param("items", "query", integer(minimum=1), doc="The number of items to returns. Defaults to 20."),
        ))
