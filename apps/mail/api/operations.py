"""The mail operations of the seed's dashboard catalog, declared in Python beside their views: each input with the rule
the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, boolean, declare, integer, json_object, param, string

NEWSLETTER_TYPES = ("legal", "network-status", "marketing", "custom-list")
NEWSLETTER_TARGET_TYPES = ("app-label", "network", "organization", "mailing-list")
TARGET_FILTER_TYPES = ("trip_count", "visited_station", "register_duration", "last_activity", "traveled_distance",
                       "usage_frequency")

# A mail template's language, in the path.
TEMPLATE_LANGUAGE = (
    param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
    param("template_name", "path", string(min_length=1, max_length=32), required=True,
          doc="Name of the mail template."),
    param("lang", "body", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
          doc="The language of the content."),
)


declare("listMailTemplateNames", "GET", "/mail-templates",
        api="dashboard", tag="MailTemplates", access="authenticated",
        summary="Get mail template names",
        description="Get the list of transactional mail templates name.",
        response_sample='{ "code": 0, "data": [...] }')

declare("getMailTemplateBase", "GET", "/app-labels/{app_label_id}/mail-template-base",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates",
        summary="Get mail template base",
        description="Get mail template base for the given app label.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
        ))

declare("updateMailTemplateBase", "PUT", "/app-labels/{app_label_id}/mail-template-base",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates", write=True,
        summary="Update template base",
        description="Update the template base draft.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("design", "body", string(), required=True, doc="The json produced by the unlayer editor."),
            param("html", "body", string(), required=True, doc="The html produced by the unlayer editor."),
        ))

declare("getMailTemplateContent", "GET", "/app-labels/{app_label_id}/mail-templates/{template_name}",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates",
        summary="Get mail template content",
        description="Get the mail template content.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("template_name", "path", string(min_length=1, max_length=32), required=True,
                  doc="Name of the mail template."),
        ))

declare("updateMailTemplateContent", "PUT", "/app-labels/{app_label_id}/mail-templates/{template_name}",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates", write=True,
        summary="Update template content",
        description="Update the template content draft.",
        response_sample='{ "code": 0 }',
        params=(
            *TEMPLATE_LANGUAGE,
            param("contents", "body", array(json_object()), required=True, doc="The updated contents."),
        ))

declare("listMailTemplateContentLangs", "GET", "/app-labels/{app_label_id}/mail-templates/{template_name}/langs",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates",
        summary="Get mail template content lang",
        description="Get the mail template content languages and their translation completion status.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("template_name", "path", string(min_length=1, max_length=32), required=True,
                  doc="Name of the mail template."),
        ))

declare("deleteMailTemplateContentLang", "DELETE",
        "/app-labels/{app_label_id}/mail-templates/{template_name}/langs/{lang}",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates", write=True,
        summary="Delete mail template content lang",
        description="Delete the mail template content language by deleting all of its translations.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("template_name", "path", string(min_length=1, max_length=32), required=True,
                  doc="Name of the mail template."),
            param("lang", "path", string(pattern=r"^[a-z]{2}$"), required=True, doc="Lang to delete."),
        ))

declare("sendTestMail", "POST", "/app-labels/{app_label_id}/mail-templates/{template_name}/test",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates", write=True,
        summary="Send test mail",
        description="Send a test mail of the given mail template to the requesting user.",
        response_sample='{ "code": 0 }',
        params=(
            *TEMPLATE_LANGUAGE,
            param("draft", "body", boolean(), required=True,
                  doc="Whether or not to send the draft or production version of the template."),
            param("variables", "body", json_object(), required=True,
                  doc="And object containing all replacements variables and their values."),
        ))

declare("listMailTemplateImages", "GET", "/app-labels/{app_label_id}/mail-template-images",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates",
        summary="Get app label template images",
        description="Get the list of images usable for mail template for the given app label.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
        ))

declare("uploadMailTemplateImage", "POST", "/app-labels/{app_label_id}/mail-template-images",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates", write=True,
        body_content_type="multipart/form-data",
        summary="Upload template image",
        description="Upload a new image to be used in mail templates.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("image", "body", string(fmt="binary"), required=True, doc="The image file data."),
        ))

declare("promoteMailTemplateBaseDraft", "POST", "/app-labels/{app_label_id}/mail-template-base/promote",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates", write=True,
        body_content_type="multipart/form-data",
        summary="Promote base draft",
        description="Promote the current mail template base draft to production.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("force", "body", boolean(), doc="Whether or not to force the promotion."),
        ))

declare("deleteMailTemplateBaseDraft", "DELETE", "/app-labels/{app_label_id}/mail-template-base/draft",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates", write=True,
        summary="Delete base draft",
        description="Delete the current mail template base draft.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
        ))

declare("promoteMailTemplateContentDraft", "POST",
        "/app-labels/{app_label_id}/mail-templates/{template_name}/promote",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates", write=True,
        body_content_type="multipart/form-data",
        summary="Promote content draft",
        description="Promote the current mail template content draft to production.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("template_name", "path", string(min_length=1, max_length=32), required=True,
                  doc="Name of the mail template."),
            param("force", "body", boolean(), doc="Whether or not to force the promotion."),
        ))

declare("deleteMailTemplateContentDraft", "DELETE", "/app-labels/{app_label_id}/mail-templates/{template_name}/draft",
        api="dashboard", tag="MailTemplates", access="permission", permission="emails.templates", write=True,
        summary="Delete content draft",
        description="Delete the current mail template content draft.",
        response_sample='{ "code": 0 }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
            param("template_name", "path", string(min_length=1, max_length=32), required=True,
                  doc="Name of the mail template."),
        ))

declare("listMailingLists", "GET", "/app-labels/{app_label_id}/mailing-lists",
        api="dashboard", tag="MailingLists", access="permission", permission="emails.newsletters",
        summary="Get mailing list",
        description="Get mailing lists for the given app label.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("app_label_id", "path", integer(minimum=1), required=True, doc="Identifier of the app label."),
        ))

declare("listNewsletters", "GET", "/newsletters",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters",
        summary="Get newsletters",
        description="Get the list of newsletters.",
        response_sample='{ "code": 0, "data": [...] }')

declare("createNewsletter", "POST", "/newsletters",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Create newsletter",
        description="Create a new newsletter for the given app label.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("name", "body", string(min_length=1, max_length=255), required=True,
                  doc="The name of the newsletter."),
            param("type", "body", string(enum=NEWSLETTER_TYPES), required=True, doc="The type of the newsletter."),
            param("transport", "body", string(enum=("mails", "push")), required=True,
                  doc="The way the newsletter will be sent."),
            param("target_type", "body", string(enum=NEWSLETTER_TARGET_TYPES), required=True,
                  doc="The type of the target of the newsletter (a newsletter should have a least one target)."),
            param("target_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the target (app label id, network id, organization id or mailing list id)."),
        ))

declare("getNewsletter", "GET", "/newsletters/{newsletter_id}",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters",
        summary="Get newsletter details",
        description="Get the details of a newsletter.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the newsletter to get details of."),
        ))

declare("sendNewsletter", "POST", "/newsletters/{newsletter_id}/send",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Send newsletter",
        description="Send the given newsletter to all the matching users.",
        response_sample='{ "code": 0 }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("planned_send_date", "body", string(fmt="datetime"),
                  doc=("The date at which you want the newsletter to be sent. Should be rounded to a whole hour in "
                       "the future.")),
        ))

declare("sendNewsletterTest", "POST", "/newsletters/{newsletter_id}/test",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Send newsletter test",
        description="Send the given newsletter to the requesting user for testing purposes.",
        response_sample='{ "code": 0 }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("lang", "body", string(pattern=r"^[a-zA-Z]{2}$"),
                  doc="The language of the user that the newsletter will be sent to."),
        ))

declare("addNewsletterTarget", "POST", "/newsletters/{newsletter_id}/targets",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Add newsletter target",
        description="Add a target to the given newsletter.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("target_type", "body", string(enum=NEWSLETTER_TARGET_TYPES), required=True,
                  doc="The type of the new target."),
            param("target_id", "body", integer(minimum=1), required=True,
                  doc="The identifier of the target (app label id, network id, organization id or mailing list id)."),
        ))

declare("deleteNewsletterTarget", "DELETE", "/newsletters/{newsletter_id}/targets/{target_id}",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Delete newsletter target",
        description="Delete a target of the given newsletter.",
        response_sample='{ "code": 0 }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("target_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter target."),
        ))

declare("addNewsletterTargetFilter", "POST", "/newsletters/{newsletter_id}/targets/{target_id}/filters",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Add newsletter target filter",
        description="Add a filter to the given newsletter target.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("target_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter target."),
            param("filter_type", "body", string(enum=TARGET_FILTER_TYPES), required=True,
                  doc="The type of the new target filter."),
            param("filter_value", "body", integer(), required=True,
                  doc=("The used in the comparison. Can be a whole number, seconds or a cluster_id according the to "
                       "filter type.")),
            param("operator", "body", string(enum=("<", "=", ">")), required=True, doc="How to compare the value."),
        ))

declare("deleteNewsletterTargetFilter", "DELETE",
        "/newsletters/{newsletter_id}/targets/{target_id}/filters/{filter_id}",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Delete newsletter target filter",
        description="Delete a filter of the given newsletter target.",
        response_sample='{ "code": 0 }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("target_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter target."),
            param("filter_id", "path", integer(minimum=1), required=True,
                  doc="Identifier of the newsletter target filter."),
        ))

declare("getNewsletterTemplate", "GET", "/newsletters/{newsletter_id}/templates/{lang}",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters",
        summary="Get newsletter template",
        description="Get the template of a newsletter (mails).",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the template to get."),
        ))

declare("upsertNewsletterTemplate", "PUT", "/newsletters/{newsletter_id}/templates/{lang}",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Update newsletter template",
        description="Create or update a newsletter template (mails).",
        response_sample='{ "code": 0 }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the template."),
            param("subject", "body", string(min_length=1, max_length=255), required=True,
                  doc="The subject of the mail."),
            param("design", "body", string(), required=True, doc="The unlayer design for the template."),
            param("html", "body", string(), required=True, doc="The html rendered for the mail."),
        ))

declare("deleteNewsletterTemplate", "DELETE", "/newsletters/{newsletter_id}/templates/{lang}",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Delete newsletter template",
        description="Delete a template of a newsletter (mails).",
        response_sample='{ "code": 0 }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the template to delete."),
        ))

declare("getNewsletterText", "GET", "/newsletters/{newsletter_id}/texts/{lang}",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters",
        summary="Get newsletter text",
        description="Get the text of a newsletter (push notification).",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the text to get."),
        ))

declare("upsertNewsletterText", "PUT", "/newsletters/{newsletter_id}/texts/{lang}",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Update newsletter text",
        description="Create or update a newsletter text (push notification).",
        response_sample='{ "code": 0 }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True, doc="The language of the text."),
            param("title", "body", string(min_length=1, max_length=65), required=True,
                  doc="The title of the push notification."),
            param("message", "body", string(min_length=1, max_length=240), required=True,
                  doc="The message of the push notification."),
        ))

declare("deleteNewsletterText", "DELETE", "/newsletters/{newsletter_id}/texts/{lang}",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        summary="Delete newsletter text",
        description="Delete a text of a newsletter (push notification).",
        response_sample='{ "code": 0 }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("lang", "path", string(pattern=r"^[a-zA-Z]{2}$"), required=True,
                  doc="The language of the text to delete."),
        ))

declare("listNewsletterImages", "GET", "/newsletters/{newsletter_id}/images",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters",
        summary="Get app label template images",
        description="Get the list of images usable for newsletter templates.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
        ))

declare("uploadNewsletterImage", "POST", "/newsletters/{newsletter_id}/images",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters", write=True,
        body_content_type="multipart/form-data",
        summary="Upload template image",
        description="Upload a new image to be used in newsletters template.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
            param("image", "body", string(fmt="binary"), required=True, doc="The image file data."),
        ))

declare("getNewsletterStatistics", "GET", "/newsletters/{newsletter_id}/statistics",
        api="dashboard", tag="Newsletters", access="permission", permission="emails.newsletters",
        summary="Get statistics of a newsletter",
        description="Get the statistics of a published newsletter.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("newsletter_id", "path", integer(minimum=1), required=True, doc="Identifier of the newsletter."),
        ))
