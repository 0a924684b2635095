"""The devtools operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, declare, integer, param, string

declare("listAppReports", "GET", "/devtools/app-reports",
        api="dashboard", tag="Devtools", access="permission", permission="app.debug",
        summary="Get app reports",
        description="Return reports made by the app when it encountered an unknown error.",
        response_sample='{ "code": 0, "data": [...] }')

declare("resolveAppReports", "POST", "/devtools/app-reports/resolve",
        api="dashboard", tag="Devtools", access="permission", permission="app.debug", write=True,
        summary="Resolve app reports",
        description="Mark the specified app reports as resolved.",
        response_sample='{ "code": 0 }',
        params=(
            param("reports", "body", array(integer(minimum=1)), required=True),
        ))

declare("listAppVersions", "GET", "/devtools/app-versions",
        api="dashboard", tag="Devtools", access="permission", permission="app.debug",
        summary="Get app versions",
        description="Return current and minimal version for all platform of the application white label.",
        response_sample='{ "code": 0, "data": [...] }')

declare("updateAppVersion", "PUT", "/devtools/app-versions",
        api="dashboard", tag="Devtools", access="permission", permission="app.debug", write=True,
        summary="Update app version",
        description="Update the current and minimal xamarin application version.",
        response_sample='{ "code": 0 }',
        params=(
            param("current", "body", integer(minimum=0), required=True,
                  doc="The current available application version."),
            param("minimal", "body", integer(minimum=0), required=True,
                  doc="The minimal application version required to use the service."),
            param("app_label_id", "body", integer(minimum=1), required=True, doc="The identifier of the app label."),
            param("platform", "body", string(enum=("android", "ios", "legacy")), required=True,
                  doc="The platform of the new version."),
        ))
