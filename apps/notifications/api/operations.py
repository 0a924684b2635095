"""The notifications operations of the seed's dashboard catalog, declared in Python beside their views: each input with
the rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, declare, integer, param, string
from apps.core.enums import ALERT_TYPES

NOTIFICATION_TYPES = ("fleet-alert", "vehicle-fault", "station-down", "support-report", "support-message")

# A notification setting's fields, created or changed alike.
NOTIFICATION_SETTING = (
    param("notification_type", "body", string(enum=NOTIFICATION_TYPES), required=True,
          doc="The type of notification"),
    param("alert_types", "body", array(string(enum=ALERT_TYPES), min_items=1), required=True,
          doc="Type of alerts sent."),
    param("alert_severities", "body",
          array(string(enum=("low", "high", "critical")), min_items=1), required=True,
          doc="Severity level of alerts sent."),
    param("check_interval", "body", integer(minimum=0),
          doc="The interval in seconds in which the system will check for new alerts to sent."),
    param("check_delay", "body", integer(minimum=0),
          doc=("The delay to wait before sending a notifications. Only notifications older than the "
               "specified delay will be sent.")),
)


declare("listNetworkNotificationSettings", "GET", "/networks/{network_id}/notifications",
        api="dashboard", tag="Networks", access="permission", permission="notifications",
        summary="Get notification settings",
        description="Get notifications settings of the specified network.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
        ))

declare("createNetworkNotificationSetting", "POST", "/networks/{network_id}/notifications",
        api="dashboard", tag="Networks", access="permission", permission="notifications", write=True,
        summary="Create notification settings",
        description="Add a notifications settings.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            *NOTIFICATION_SETTING,
        ))

declare("updateNetworkNotificationSetting", "PUT", "/networks/{network_id}/notifications/{notification_id}",
        api="dashboard", tag="Networks", access="permission", permission="notifications", write=True,
        summary="Update notification settings",
        description="Edit a notifications settings.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("notification_id", "path", integer(minimum=1), required=True,
                  doc="The notification setting's identifier."),
            *NOTIFICATION_SETTING,
        ))

declare("deleteNetworkNotificationSetting", "DELETE", "/networks/{network_id}/notifications/{notification_id}",
        api="dashboard", tag="Networks", access="permission", permission="notifications", write=True,
        summary="Delete notification settings",
        description="Remove a notifications settings.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("notification_id", "path", integer(minimum=1), required=True,
                  doc="The notification setting's identifier."),
        ))

declare("addNetworkNotificationTarget", "POST", "/networks/{network_id}/notifications/{notification_id}/targets",
        api="dashboard", tag="Networks", access="permission", permission="notifications", write=True,
        summary="Add notification target",
        description="Add a notifications target.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("notification_id", "path", integer(minimum=1), required=True,
                  doc="The notification setting's identifier."),
            param("user_id", "body", integer(minimum=1), required=True, doc="Identifier of the user."),
        ))

declare("deleteNetworkNotificationTarget", "DELETE", "/networks/{network_id}/notifications/{notification_id}/targets",
        api="dashboard", tag="Networks", access="permission", permission="notifications", write=True,
        summary="Delete notification target",
        description="Remove a notifications target.",
        response_sample='{ "code": 0 }',
        params=(
            param("network_id", "path", integer(minimum=1), required=True, doc="The network's identifier."),
            param("notification_id", "path", integer(minimum=1), required=True,
                  doc="The notification setting's identifier."),
            param("user_id", "query", integer(minimum=1),
                  doc="The identifier of the user to remove from targets. Required if email is absent."),
            param("email", "query", string(fmt="email"),
                  doc="The external email to remove from targets. Required if user_id is absent."),
        ))
