"""The organizations operations of the seed's dashboard catalog, declared in Python beside their views: each input with
the rule the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import HOUR_OF_DAY, array, boolean, declare, integer, number, param, string

# An organization rule's fields, created or changed alike.
RULE_FIELDS = (
    param("network_id", "body", integer(minimum=1), required=True,
          doc="The identifier of the network on which the rule applies."),
    param("start_dow", "body", integer(minimum=0, maximum=6), required=True,
          doc="The day of the week at which the rule starts."),
    param("start_hod", "body", HOUR_OF_DAY, required=True,
          doc="The hour of the day at which the rule starts."),
    param("end_dow", "body", integer(minimum=0, maximum=6), required=True,
          doc="The day of the week at which the rule ends."),
    param("end_hod", "body", HOUR_OF_DAY, required=True,
          doc="The hour of the day at which the rule ends."),
    param("max_vehicles", "body", integer(minimum=1),
          doc=("The maximum number of vehicle the user can rent at the same time. If null or undefined, the "
               "default 3 is used.")),
    param("paid_by_org_ratio", "body", number(minimum=0, maximum=1), required=True,
          doc=("The ratio of the bill that will be paid by the organization for the duration of trips that "
               "span the period of the rule.")),
    param("rule_name", "body", string(min_length=1, max_length=128), required=True,
          doc="The display name of the rule."),
    param("network_name", "body", string(min_length=1, max_length=128), required=True,
          doc="The name of the network on which the rule applies."),
)


# What an organization pays, set on creation or changed alike.
PAYMENT_SHARE = (
    param("is_guarantor", "body", boolean(), required=True,
          doc="Whether or not the organization will pay for stolen vehicles."),
    param("allow_outside_rules", "body", boolean(), required=True,
          doc="Whether or not the organization allow trips to start outside of the given rules."),
    param("paid_outside_rules_ratio", "body", number(minimum=0, maximum=1), required=True,
          doc=("The ratio of trip cost which is paid by the organization. This only applies to the duration "
               "of trips that run outside of the defined rules.")),
)


declare("listOrganizations", "GET", "/organizations",
        api="dashboard", tag="Organizations", access="permission", permission="organizations",
        summary="Get organizations",
        description="Return the list of organizations.",
        response_sample='{ "code": 0, "data": [...] }')

declare("createOrganization", "POST", "/organizations",
        api="dashboard", tag="Organizations", access="permission", permission="organizations", write=True,
        summary="Create organization",
        description="Create a new organization.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("third_party_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the third party this organization will be linked to."),
            param("name", "body", string(min_length=1, max_length=255), required=True,
                  doc="The name of the organization."),
            param("administrator_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the user who will administer the organization."),
            *PAYMENT_SHARE,
            param("only_show_matching_clusters", "body", boolean(), required=True,
                  doc=("Whether of not users of the organization will see all clusters or only those that they have "
                       "the right to use.")),
            param("email_pattern", "body", string(pattern=r"^[a-zA-Z0-9@._(){}[\]|*+?%#\\-]+$"),
                  doc="A Postgresql pattern to determine which email are selected to join the organization."),
            param("pays_rule_overrun", "body", boolean(), required=True,
                  doc=("Whether or not the organization pays for the parts of trips that started in a rules but "
                       "overran its duration and finished outside of one.")),
            param("reenrolment_frequency_in_days", "body", number(minimum=1),
                  doc=("The frequency in days at which the users of the organization needs to confirm their emails "
                       "again.")),
            param("description", "body", string(), doc="A description for this organization."),
        ))

declare("getOrganization", "GET", "/organizations/{id}",
        api="dashboard", tag="Organizations", access="permission", permission="organizations",
        summary="Get organization details",
        description="Return the details of an organization.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
        ))

declare("updateOrganization", "PUT", "/organizations/{id}",
        api="dashboard", tag="Organizations", access="permission", permission="organizations", write=True,
        summary="Update organization",
        description="Update organization info.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
            param("name", "body", string(min_length=1, max_length=255), required=True,
                  doc="The name of the organization."),
            param("description", "body", string(), doc="A description for this organization."),
            param("only_show_matching_clusters", "body", boolean(), required=True,
                  doc=("Whether of not users of the organization will see all clusters or only those that they have "
                       "the right to use.")),
        ))

declare("listOrganizationRules", "GET", "/organizations/{id}/rules",
        api="dashboard", tag="Organizations", access="permission", permission="organizations",
        summary="Get organization rules",
        description="Return the list of rules of an organization.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get transactions.")),
        ))

declare("createOrganizationRule", "POST", "/organizations/{id}/rules",
        api="dashboard", tag="Organizations", access="permission", permission="organizations", write=True,
        summary="Create organization rule",
        description="Create a new organization rule.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
            *RULE_FIELDS,
        ))

declare("updateOrganizationRule", "PUT", "/organizations/{id}/rules/{rid}",
        api="dashboard", tag="Organizations", access="permission", permission="organizations", write=True,
        summary="Update organization rule",
        description="Update organization rule.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
            param("rid", "path", integer(minimum=1), required=True, doc="The identifier of the rule."),
            *RULE_FIELDS,
        ))

declare("deleteOrganizationRule", "DELETE", "/organizations/{id}/rules/{rid}",
        api="dashboard", tag="Organizations", access="permission", permission="organizations", write=True,
        summary="Delete organization rule",
        description="Delete an organization rule.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
            param("rid", "path", integer(minimum=1), required=True, doc="The identifier of the rule."),
        ))

declare("updateOrganizationEnrolment", "PUT", "/organizations/{id}/enrolment",
        api="dashboard", tag="Organizations", access="permission", permission="organizations", write=True,
        summary="Update organization enrolment",
        description="Update organization enrolment conditions.",
        response_sample=('{ "email_pattern": "%@knot.city", "reenrolment_frequency_in_days": 1, '
                         '"manual_approbation": true, "enable_enrolment_token": true, "enrolment_custom_field": '
                         '"string" }'),
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
            param("email_pattern", "body", string(pattern=r"^[a-zA-Z0-9@._(){}[\]|*+?%#\\-]+$"), required=True,
                  doc="A Postgresql pattern to determine which email are selected to join the organization."),
            param("reenrolment_frequency_in_days", "body", number(minimum=1), required=True,
                  doc=("The frequency in days at which the users of the organization needs to confirm their emails "
                       "again.")),
            param("manual_approbation", "body", boolean(), required=True,
                  doc="Enable manual approbation of organization enrolment."),
            param("enable_enrolment_token", "body", boolean(), required=True,
                  doc="Enable enrolment using link / qr code for users without corporation email."),
            param("enrolment_custom_field", "body", string(nullable=True), required=True,
                  doc=("Custom field in user registration / organization enrolment. The value entered by the user "
                       "will be reported in the approval list.")),
        ))

declare("updateOrganizationAdministrator", "PUT", "/organizations/{id}/administrator",
        api="dashboard", tag="Organizations", access="permission", permission="organizations", write=True,
        summary="Update organization administrator",
        description=("Update organization administrator. The user should have the organization permission (write) "
                     "for the organization it will be the administrator."),
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
            param("administrator_id", "body", integer(minimum=1), required=True,
                  doc="The user identifier of the new administrator."),
        ))

declare("updateOrganizationPayments", "PUT", "/organizations/{id}/payments",
        api="dashboard", tag="Organizations", access="permission", permission="organizations", write=True,
        summary="Update organization payments",
        description="Update organization payments conditions & settings.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
            *PAYMENT_SHARE,
            param("pays_rule_overrun", "body", boolean(), required=True,
                  doc=("Whether or not the organization pays for the parts of trips that started in a rules but "
                       "overran its duration and finished outside of one.")),
        ))

declare("listOrganizationEnrolmentRequests", "GET", "/organizations/{id}/enrolment-requests",
        api="dashboard", tag="Organizations", access="permission", permission="organizations",
        summary="Get organization enrolment requests",
        description="Return the list of enrolment requests of an organization.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
        ))

declare("answerOrganizationEnrolmentRequest", "PUT", "/organizations/{id}/enrolment-requests/{enrolment_id}",
        api="dashboard", tag="Organizations", access="permission", permission="organizations", write=True,
        summary="Put enrolment request",
        description="Accept or reject an enrolment request.",
        response_sample='{ "code": 0 }',
        params=(
            param("id", "path", integer(minimum=1), required=True, doc="The identifier of the organization."),
            param("enrolment_id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the enrolment request."),
            param("accept", "body", boolean(), required=True,
                  doc="Whether the enrolment is accepted or refused."),
            param("reject_reason", "body", string(min_length=1, max_length=500), doc="Optional reason if rejected."),
            param("revoke_at", "body", string(fmt="date"),
                  doc="Optional auto revoke user from organization at the specified date."),
        ))
