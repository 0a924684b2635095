"""The applabels operations of the seed's dashboard catalog, declared in Python beside their views: each input with the
rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import boolean, declare, integer, json_object, param, string

declare("listAppLabels", "GET", "/app-labels",
        api="dashboard", tag="AppLabel", access="public",
        summary="Get app labels",
        description="Return the list of all application white labels.",
        response_sample='{ "code": 0, "data": [...] }')

declare("createAppLabel", "POST", "/app-labels",
        api="dashboard", tag="AppLabel", access="permission", permission="app.label", write=True,
        summary="Create app label",
        description="Create a new app label.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("name", "body", string(pattern=r"^[a-z]{1,20}$"), required=True, doc="The unique label name."),
            param("display_name", "body", string(min_length=1, max_length=32), required=True,
                  doc="The label name that will be displayed."),
            param("billing_info", "body", json_object(), required=True, doc="Billing information for invoicing."),
        ))

declare("getAppLabel", "GET", "/app-labels/{app_label_id}",
        api="dashboard", tag="AppLabel", access="permission", permission="app.label",
        summary="Get app label",
        description="Return detail of the application white label.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
        ))

declare("updateAppLabel", "PUT", "/app-labels/{app_label_id}",
        api="dashboard", tag="AppLabel", access="permission", permission="app.label", write=True,
        summary="Put app label",
        description="Update parameters of the app label.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("require_sms_validation", "body", boolean(), required=True,
                  doc="Indicate if new user require a phone number with sms validation."),
            param("phone_sms_provider_id", "body", integer(minimum=1, nullable=True), required=True,
                  doc="Configured provider id to send SMS."),
            param("require_terms_of_use", "body", boolean(), required=True,
                  doc="Indicate if new user should accept the term of use."),
            param("auto_delete_users", "body", boolean(), required=True,
                  doc="Indicate if inactive users should be deleted."),
            param("android_store_url", "body",
                  string(min_length=1, max_length=100, fmt="uri", nullable=True), required=True,
                  doc="Url of the Android application on Google play store."),
            param("ios_store_url", "body",
                  string(min_length=1, max_length=100, fmt="uri", nullable=True), required=True,
                  doc="Url of the iOS application on Apple app store."),
            param("saved_payment_method_is_optional", "body", boolean(), required=True,
                  doc="Indicate if users can rent without saved payment method."),
            param("website", "body", string(max_length=100, fmt="uri", nullable=True), required=True,
                  doc="Url of the website of the white label."),
            param("contact_email", "body", string(max_length=100, fmt="email", nullable=True), required=True,
                  doc="Contact email of the white label, for end user."),
            param("contact_phone_number", "body", string(max_length=100, nullable=True), required=True,
                  doc="Contact phone number of the white label, for end user."),
        ))

declare("getAppLabelMailSetting", "GET", "/app-labels/{app_label_id}/mail-setting",
        api="dashboard", tag="AppLabel", access="permission", permission="app.label",
        summary="Get mail setting",
        description="Get the mail setting of the app label.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
        ))

declare("updateAppLabelMailSetting", "PUT", "/app-labels/{app_label_id}/mail-setting",
        api="dashboard", tag="AppLabel", access="permission", permission="app.label", write=True,
        summary="Set mail setting",
        description="Set the mail setting of the app label.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("send_mails", "body", boolean(), required=True, doc="Indicate if mail are enabled."),
            param("sender_address", "body", string(max_length=255, fmt="email"), required=True,
                  doc=("Email used to send the mail. Needs to be validated on AWS SES, and DNS should be configured "
                       "according to it.")),
            param("sender_name", "body", string(max_length=32), required=True, doc="The name of sender."),
            param("reply_to", "body", string(max_length=255, fmt="email", nullable=True), required=True,
                  doc="Email in reply-to header."),
            param("notification_email", "body", string(max_length=255, fmt="email"), required=True,
                  doc="Reference email for notifications."),
        ))

declare("updateAppLabelBilling", "PUT", "/app-labels/{app_label_id}/billing",
        api="dashboard", tag="AppLabel", access="permission", permission="app.label", write=True,
        summary="Update app label billing",
        description="Update billing information of the app label.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("name", "body", string(min_length=1, max_length=100), doc="Name of the company."),
            param("legal_form", "body", string(min_length=1, max_length=50, nullable=True),
                  doc="Legal form of the company."),
            param("vat_number", "body", string(min_length=1, max_length=50, nullable=True),
                  doc="International VAT number."),
            param("registration_number", "body", string(min_length=1, max_length=50, nullable=True),
                  doc="Registration number of the company (for example, SIRET in France)."),
            param("capital", "body", string(min_length=1, max_length=50, nullable=True),
                  doc="Capital of the company."),
            param("street", "body", string(min_length=1, max_length=200), required=True,
                  doc="Number and street name of the legal address of the company."),
            param("zip_code", "body", string(min_length=1, max_length=20), required=True,
                  doc="Zip code of the legal address of the company."),
            param("city", "body", string(min_length=1, max_length=150), required=True,
                  doc="City of the legal address of the company."),
            param("country", "body", string(min_length=1, max_length=100), required=True,
                  doc="Country of the legal address of the company."),
            param("issuer", "body", string(min_length=1, max_length=100, nullable=True),
                  doc="Issuer of the invoice (i.e brand of the app)."),
        ))

declare("listPhoneProviders", "GET", "/phone-providers",
        api="dashboard", tag="Phone", access="permission", permission="app.label",
        summary="Get phone provider",
        description="Return the list of phone SMS provider.",
        response_sample='{ "code": 0, "data": [...] }')
