"""The terms operations of the seed's dashboard catalog, declared in Python beside their views: each input with the rule
the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import declare, integer, param, string

declare("getTermsOfUse", "GET", "/terms-of-use/{type}/{type_id}",
        api="dashboard", tag="TermsOfUse", access="permission", permission="terms.of.use",
        summary="Get terms of use",
        description="Get the terms of use for the given app label, network or organization.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("type", "path", string(enum=("app_label", "network", "organization")), required=True,
                  doc="The type of object targeted by the terms of use."),
            param("type_id", "path", integer(minimum=1), required=True,
                  doc=("The identifier of the object of the type given by the type parameter, targeted by the terms "
                       "of use.")),
        ))

declare("createTermsOfUse", "POST", "/terms-of-use/{type}/{type_id}",
        api="dashboard", tag="TermsOfUse", access="permission", permission="terms.of.use", write=True,
        summary="Create terms of use",
        description="Create a new terms of use for the given app label, network or organization.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("type", "path", string(enum=("app_label", "network", "organization")), required=True,
                  doc="The type of object targeted by the terms of use."),
            param("type_id", "path", integer(minimum=1), required=True,
                  doc=("The identifier of the object of the type given by the type parameter, targeted by the terms "
                       "of use.")),
        ))

declare("publishTermsOfUse", "POST", "/terms-of-use/{terms_of_use_id}/publish",
        api="dashboard", tag="TermsOfUse", access="permission", permission="terms.of.use", write=True,
        summary="Publish terms of use",
        description="Publish the terms of use by generating all pdfs and sending them to all concerned users.",
        response_sample='{ "code": 0 }',
        params=(
            param("terms_of_use_id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the terms of use."),
        ))

declare("getTermsOfUseContent", "GET", "/terms-of-use/{terms_of_use_id}/contents/{lang}",
        api="dashboard", tag="TermsOfUse", access="permission", permission="terms.of.use",
        summary="Get terms of use content",
        description="Get the terms of use content in the given language.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("terms_of_use_id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the terms of use."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the terms of use content."),
        ))

declare("upsertTermsOfUseContent", "PUT", "/terms-of-use/{terms_of_use_id}/contents/{lang}",
        api="dashboard", tag="TermsOfUse", access="permission", permission="terms.of.use", write=True,
        summary="Edit terms of use content",
        description="Create or update the terms of use content in the given language.",
        response_sample='{ "code": 0 }',
        params=(
            param("terms_of_use_id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the terms of use."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the terms of use content."),
            param("content", "body", string(), required=True,
                  doc="The text of the terms of use, formatted using markdown."),
            param("file_name", "body", string(min_length=1, max_length=64), required=True,
                  doc=("The name of the pdf file that will be sent to the users with the content given in the "
                       "content property.")),
        ))

declare("listTermsOfUseAttachments", "GET", "/terms-of-use/{terms_of_use_id}/attachments/{lang}",
        api="dashboard", tag="TermsOfUse", access="permission", permission="terms.of.use",
        summary="Get terms of use attachments",
        description="Get the terms of use attachments of the given language.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("terms_of_use_id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the terms of use."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the terms of use attachment."),
        ))

declare("addTermsOfUseAttachment", "POST", "/terms-of-use/{terms_of_use_id}/attachments/{lang}",
        api="dashboard", tag="TermsOfUse", access="permission", permission="terms.of.use", write=True,
        summary="Add terms of use attachment",
        description="Upload an attachment for the terms of use of the given language.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("terms_of_use_id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the terms of use."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the terms of use attachment."),
            param("attachment_name", "body", string(min_length=1, max_length=128), required=True,
                  doc="The name of the attachment to create or delete."),
            param("attachment", "body", string(fmt="binary"), required=True, doc="Attachment file content."),
        ))

declare("deleteTermsOfUseAttachment", "DELETE", "/terms-of-use/{terms_of_use_id}/attachments/{lang}",
        api="dashboard", tag="TermsOfUse", access="permission", permission="terms.of.use", write=True,
        summary="Delete terms of use attachment",
        description="Delete an attachment of the terms of use of the given language.",
        response_sample='{ "code": 0 }',
        params=(
            param("terms_of_use_id", "path", integer(minimum=1), required=True,
                  doc="The identifier of the terms of use."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the terms of use attachment."),
            param("attachment_name", "query", string(min_length=1, max_length=128), required=True,
                  doc="The name of the attachment to create or delete."),
        ))
