"""The MailTemplates, MailingLists and Newsletters operations."""
from functools import cached_property

from django.core.validators import RegexValidator
from django.db.models import Count, Q
from rest_framework import serializers

from apps.applabels.models import AppLabel
from apps.core.api.params import CatalogSerializer
from apps.core.api.views import OperationView
from apps.core.exceptions import NotFound, ValidationFailed
from apps.fleet.models import Cluster
from apps.networks.models import Network
from apps.organizations.models import Organization

from .. import catalog, newsletters, services, transport
from ..audience import audience
from ..models import (
    MailingList,
    MailLayout,
    Newsletter,
    NewsletterTarget,
    NewsletterTargetFilter,
    NewsletterTemplate,
    NewsletterText,
    TemplateImage,
)

TARGET_MODELS = {"app-label": AppLabel, "network": Network, "organization": Organization,
                 "mailing-list": MailingList}


# --- outputs ----------------------------------------------------------------------------------------------------
class TemplateNameOut(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    variables = serializers.ListField(child=serializers.CharField())


class LayoutOut(serializers.Serializer):
    stage = serializers.ChoiceField(choices=["production", "draft"])
    design = serializers.CharField()
    html = serializers.CharField()
    updated_at = serializers.DateTimeField(allow_null=True, help_text="Null for the built-in layout.")


class KeyValueOut(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.CharField()


class TemplateLanguageOut(serializers.Serializer):
    lang = serializers.CharField()
    production = KeyValueOut(many=True, allow_null=True)
    draft = KeyValueOut(many=True, allow_null=True)


class TemplateContentOut(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    keys = serializers.ListField(child=serializers.CharField())
    required_keys = serializers.ListField(child=serializers.CharField())
    variables = serializers.ListField(child=serializers.CharField())
    languages = TemplateLanguageOut(many=True)


class LangStatusOut(serializers.Serializer):
    lang = serializers.CharField()
    has_production = serializers.BooleanField()
    has_draft = serializers.BooleanField()
    filled_keys = serializers.IntegerField(help_text="Keys with a text (of the draft when there is one).")
    total_keys = serializers.IntegerField()
    complete = serializers.BooleanField(help_text="Every required key has a text.")


class MailImageOut(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Use this address in templates; mails carry the image inline.")

    class Meta:
        model = TemplateImage
        fields = ["id", "url", "content_type", "width", "height", "size", "created_at"]

    def get_url(self, image) -> str:
        return transport.image_url(image)


class MailingListOut(serializers.ModelSerializer):
    subscribers = serializers.IntegerField(help_text="Riders subscribed now.")
    unsubscribed = serializers.IntegerField()

    class Meta:
        model = MailingList
        fields = ["id", "name", "description", "kind", "subscribers", "unsubscribed", "created_at"]


class NewsletterFilterOut(serializers.ModelSerializer):
    filter_value = serializers.IntegerField(source="value")

    class Meta:
        model = NewsletterTargetFilter
        fields = ["id", "filter_type", "operator", "filter_value"]


class NewsletterTargetOut(serializers.ModelSerializer):
    target_id = serializers.IntegerField()
    filters = NewsletterFilterOut(many=True)

    class Meta:
        model = NewsletterTarget
        fields = ["id", "target_type", "target_id", "filters"]


class NewsletterOut(serializers.ModelSerializer):
    class Meta:
        model = Newsletter
        fields = ["id", "name", "type", "transport", "status", "app_label_id", "planned_send_date", "audience_size",
                  "send_started_at", "send_finished_at", "cancelled_at", "created_at"]


class ProgressOut(serializers.Serializer):
    targeted = serializers.IntegerField()
    sent = serializers.IntegerField()
    failed = serializers.IntegerField()
    unconfirmed = serializers.IntegerField()
    pending = serializers.IntegerField()


class NewsletterDetailOut(NewsletterOut):
    targets = NewsletterTargetOut(many=True)
    languages = serializers.ListField(child=serializers.CharField())
    estimated_audience = serializers.IntegerField(allow_null=True, help_text="Riders it would reach if sent now "
                                                                             "(drafts and planned newsletters).")
    progress = ProgressOut()

    class Meta(NewsletterOut.Meta):
        fields = NewsletterOut.Meta.fields + ["targets", "languages", "estimated_audience", "progress"]


class StatisticsOut(ProgressOut):
    audience_size = serializers.IntegerField(allow_null=True)
    opened = serializers.IntegerField()
    clicked = serializers.IntegerField()
    unsubscribed = serializers.IntegerField()
    opened_rate = serializers.FloatField(help_text="Of the mails sent.")
    clicked_rate = serializers.FloatField()
    unsubscribed_rate = serializers.FloatField()


class NewsletterTemplateOut(serializers.ModelSerializer):
    class Meta:
        model = NewsletterTemplate
        fields = ["lang", "subject", "design", "html", "updated_at"]


class NewsletterTextOut(serializers.ModelSerializer):
    class Meta:
        model = NewsletterText
        fields = ["lang", "title", "message", "updated_at"]


class CreatedOut(serializers.Serializer):
    id = serializers.IntegerField()


# --- bodies -----------------------------------------------------------------------------------------------------
class ContentItem(serializers.Serializer):
    key = serializers.ChoiceField(choices=list(catalog.KEYS))
    value = serializers.CharField(max_length=services.VALUE_MAX_CHARS, allow_blank=True, trim_whitespace=False,
                                  help_text="A Jinja2 template (sandboxed); empty removes the key. "
                                            "`subject`: at most 255 characters.")


class LayoutBody(CatalogSerializer):
    operation_id = "updateMailTemplateBase"
    html = serializers.CharField(
        max_length=500_000, trim_whitespace=False,
        validators=[RegexValidator(r"\{\{\s*content\s*\}\}", message="The layout must place the mail's content: "
                                                                   "{{ content }}.")],
        help_text="The editor's HTML, a Jinja2 template (sandboxed) that places the mail's text with {{ content }}.")


class TemplateContentBody(CatalogSerializer):
    operation_id = "updateMailTemplateContent"
    contents = serializers.ListField(child=ContentItem(), max_length=len(catalog.KEYS),
                                     help_text="The texts to change in the language's draft, by key.")


# --- templates --------------------------------------------------------------------------------------------------
class MailTemplateNames(OperationView):
    operations = {"GET": "listMailTemplateNames"}
    output_serializers = {"GET": TemplateNameOut(many=True)}

    def get(self, request):
        return self.respond([{"name": spec.name, "description": spec.description, "variables": sorted(spec.allowed)}
                             for spec in catalog.TEMPLATES.values()])


class AppLabelMailView(OperationView):
    queryset = AppLabel.objects.all()

    @cached_property
    def app_label(self) -> AppLabel:
        return self.get_object(pk=self.kwargs["app_label_id"])


class Layout(AppLabelMailView):
    operations = {"GET": "getMailTemplateBase", "PUT": "updateMailTemplateBase"}
    body_serializers = {"PUT": LayoutBody}
    output_serializers = {"GET": LayoutOut(many=True)}

    def get(self, request, app_label_id):
        rows = [{"stage": "draft" if row.is_draft else "production", "design": row.design, "html": row.html,
                 "updated_at": row.updated_at} for row in MailLayout.objects.filter(app_label=self.app_label)]
        if not any(row["stage"] == "production" for row in rows):  # what mails use until a layout is promoted
            rows.insert(0, {"stage": "production", "design": "", "html": services.DEFAULT_LAYOUT, "updated_at": None})
        return self.respond(sorted(rows, key=lambda row: row["stage"] != "production"))

    def put(self, request, app_label_id):
        services.layout_update(app_label=self.app_label, design=self.body["design"], html=self.body["html"])
        return self.respond()


class LayoutPromote(AppLabelMailView):
    operations = {"POST": "promoteMailTemplateBaseDraft"}

    def post(self, request, app_label_id):
        services.layout_promote(app_label=self.app_label, force=bool(self.body.get("force")))
        return self.respond()


class LayoutDraft(AppLabelMailView):
    operations = {"DELETE": "deleteMailTemplateBaseDraft"}

    def delete(self, request, app_label_id):
        services.layout_delete_draft(app_label=self.app_label)
        return self.respond()


class TemplateContent(AppLabelMailView):
    operations = {"GET": "getMailTemplateContent", "PUT": "updateMailTemplateContent"}
    body_serializers = {"PUT": TemplateContentBody}
    output_serializers = {"GET": TemplateContentOut}

    def get(self, request, app_label_id, template_name):
        return self.respond(services.content_view(app_label=self.app_label, name=template_name))

    def put(self, request, app_label_id, template_name):
        services.content_update(app_label=self.app_label, name=template_name, lang=self.body["lang"],
                                contents=self.body["contents"])
        return self.respond()


class TemplateLangs(AppLabelMailView):
    operations = {"GET": "listMailTemplateContentLangs"}
    output_serializers = {"GET": LangStatusOut(many=True)}

    def get(self, request, app_label_id, template_name):
        return self.respond(services.content_langs(app_label=self.app_label, name=template_name))


class TemplateLang(AppLabelMailView):
    operations = {"DELETE": "deleteMailTemplateContentLang"}

    def delete(self, request, app_label_id, template_name, lang):
        services.content_delete_lang(app_label=self.app_label, name=template_name, lang=lang)
        return self.respond()


class TemplateTest(AppLabelMailView):
    operations = {"POST": "sendTestMail"}

    def post(self, request, app_label_id, template_name):
        if not isinstance(self.body["variables"], dict):
            raise ValidationFailed.on("variables", "An object of variable names and values.")
        services.send_test_mail(app_label=self.app_label, name=template_name, lang=self.body["lang"],
                                draft=self.body["draft"], variables=self.body["variables"], actor=request.user)
        return self.respond()


class TemplatePromote(AppLabelMailView):
    operations = {"POST": "promoteMailTemplateContentDraft"}

    def post(self, request, app_label_id, template_name):
        services.content_promote(app_label=self.app_label, name=template_name, force=bool(self.body.get("force")))
        return self.respond()


class TemplateDraft(AppLabelMailView):
    operations = {"DELETE": "deleteMailTemplateContentDraft"}

    def delete(self, request, app_label_id, template_name):
        services.content_delete_draft(app_label=self.app_label, name=template_name)
        return self.respond()


class LabelImages(AppLabelMailView):
    operations = {"GET": "listMailTemplateImages", "POST": "uploadMailTemplateImage"}
    output_serializers = {"GET": MailImageOut, "POST": MailImageOut}

    def get(self, request, app_label_id):
        return self.respond_list(TemplateImage.objects.filter(app_label=self.app_label))

    def post(self, request, app_label_id):
        return self.respond_object(services.image_add(upload=self.body["image"], app_label=self.app_label))


class MailingLists(AppLabelMailView):
    operations = {"GET": "listMailingLists"}
    output_serializers = {"GET": MailingListOut}

    def get(self, request, app_label_id):
        lists = MailingList.objects.filter(app_label=self.app_label).annotate(
            subscribers=Count("subscriptions", filter=Q(subscriptions__unsubscribed_at__isnull=True)),
            unsubscribed=Count("subscriptions", filter=Q(subscriptions__unsubscribed_at__isnull=False)))
        return self.respond_list(lists)


# --- newsletters ------------------------------------------------------------------------------------------------
class NewsletterView(OperationView):
    queryset = Newsletter.objects.all()

    @cached_property
    def newsletter(self) -> Newsletter:
        return self.get_object(pk=self.kwargs["newsletter_id"],
                               queryset=self.get_queryset().select_related("app_label__mail_setting"))

    def target(self):
        """The body's target, inside the caller's scope (else -2 naming target_id, as an unknown id)."""
        kind, pk = self.body["target_type"], self.body["target_id"]
        model = TARGET_MODELS[kind]
        target = self.scoped(model.objects.all()).filter(pk=pk).first()
        if target is None:
            raise ValidationFailed.on("target_id", f"No {model._meta.verbose_name} with id {pk}.")
        return kind, target


class NewsletterCollection(NewsletterView):
    operations = {"GET": "listNewsletters", "POST": "createNewsletter"}
    output_serializers = {"GET": NewsletterOut, "POST": NewsletterOut}

    def get(self, request):
        return self.respond_list(self.get_queryset())

    def post(self, request):
        kind, target = self.target()
        newsletter = newsletters.newsletter_create(name=self.body["name"], type=self.body["type"],
                                                   transport=self.body["transport"], target_type=kind, target=target,
                                                   actor=request.user)
        return self.respond_object(newsletter)


class NewsletterDetail(NewsletterView):
    operations = {"GET": "getNewsletter"}
    output_serializers = {"GET": NewsletterDetailOut}

    def get(self, request, newsletter_id):
        newsletter = self.newsletter
        newsletter.targets_list = list(newsletter.targets.prefetch_related("filters"))
        model = NewsletterTemplate if newsletter.transport == Newsletter.Transport.MAILS else NewsletterText
        data = NewsletterOut(newsletter).data
        stats = newsletters.statistics(newsletter)
        data.update({
            "targets": NewsletterTargetOut(newsletter.targets_list, many=True).data,
            "languages": list(model.objects.filter(newsletter=newsletter).values_list("lang", flat=True)),
            "estimated_audience": (audience(newsletter, newsletter.targets_list).count()
                                   if newsletter.audience_size is None else None),
            "progress": {key: stats[key] for key in ("targeted", "sent", "failed", "unconfirmed", "pending")},
        })
        return self.respond(data)


class NewsletterSend(NewsletterView):
    operations = {"POST": "sendNewsletter"}

    def post(self, request, newsletter_id):
        newsletters.newsletter_send(newsletter=self.newsletter, planned_send_date=self.body.get("planned_send_date"))
        return self.respond()


class NewsletterTest(NewsletterView):
    operations = {"POST": "sendNewsletterTest"}

    def post(self, request, newsletter_id):
        newsletters.send_test(newsletter=self.newsletter, lang=self.body.get("lang"), actor=request.user)
        return self.respond()


class NewsletterTargets(NewsletterView):
    operations = {"POST": "addNewsletterTarget"}
    output_serializers = {"POST": NewsletterTargetOut}

    def post(self, request, newsletter_id):
        kind, target = self.target()
        return self.respond_object(newsletters.target_add(newsletter=self.newsletter, target_type=kind, target=target))


class NewsletterTargetDetail(NewsletterView):
    operations = {"DELETE": "deleteNewsletterTarget"}

    def delete(self, request, newsletter_id, target_id):
        newsletters.target_delete(newsletter=self.newsletter, target_id=target_id)
        return self.respond()


class NewsletterFilters(NewsletterView):
    operations = {"POST": "addNewsletterTargetFilter"}
    output_serializers = {"POST": NewsletterFilterOut}

    def post(self, request, newsletter_id, target_id):
        newsletter = self.newsletter
        if self.body["filter_type"] == NewsletterTargetFilter.Type.VISITED_STATION:
            # The cluster must be one the caller's grant reaches (-2 as an unknown id otherwise).
            self.require_visible(Cluster.objects.all(), self.body["filter_value"], "filter_value")
        return self.respond_object(newsletters.filter_add(
            newsletter=newsletter, target_id=target_id, filter_type=self.body["filter_type"],
            operator=self.body["operator"], value=self.body["filter_value"]))


class NewsletterFilterDetail(NewsletterView):
    operations = {"DELETE": "deleteNewsletterTargetFilter"}

    def delete(self, request, newsletter_id, target_id, filter_id):
        newsletters.filter_delete(newsletter=self.newsletter, target_id=target_id, filter_id=filter_id)
        return self.respond()


class NewsletterLanguageView(NewsletterView):
    model = NewsletterTemplate

    def get(self, request, newsletter_id, lang):
        row = self.model.objects.filter(newsletter=self.newsletter, lang=lang.lower()).first()
        if row is None:
            raise NotFound(f"The newsletter has no {self.model._meta.verbose_name} in {lang}.")
        return self.respond_object(row)

    def delete(self, request, newsletter_id, lang):
        newsletters.language_delete(newsletter=self.newsletter, model=self.model, lang=lang)
        return self.respond()


class NewsletterTemplates(NewsletterLanguageView):
    operations = {"GET": "getNewsletterTemplate", "PUT": "upsertNewsletterTemplate",
                  "DELETE": "deleteNewsletterTemplate"}
    output_serializers = {"GET": NewsletterTemplateOut}

    def put(self, request, newsletter_id, lang):
        newsletters.template_upsert(newsletter=self.newsletter, lang=lang, subject=self.body["subject"],
                                    design=self.body["design"], html=self.body["html"])
        return self.respond()


class NewsletterTexts(NewsletterLanguageView):
    operations = {"GET": "getNewsletterText", "PUT": "upsertNewsletterText", "DELETE": "deleteNewsletterText"}
    output_serializers = {"GET": NewsletterTextOut}
    model = NewsletterText

    def put(self, request, newsletter_id, lang):
        newsletters.text_upsert(newsletter=self.newsletter, lang=lang, title=self.body["title"],
                                message=self.body["message"])
        return self.respond()


class NewsletterImages(NewsletterView):
    operations = {"GET": "listNewsletterImages", "POST": "uploadNewsletterImage"}
    output_serializers = {"GET": MailImageOut, "POST": MailImageOut}

    def get(self, request, newsletter_id):
        return self.respond_list(TemplateImage.objects.filter(newsletter=self.newsletter))

    def post(self, request, newsletter_id):
        return self.respond_object(services.image_add(upload=self.body["image"], newsletter=self.newsletter))


class NewsletterStatistics(NewsletterView):
    operations = {"GET": "getNewsletterStatistics"}
    output_serializers = {"GET": StatisticsOut}

    def get(self, request, newsletter_id):
        return self.respond(newsletters.statistics(self.newsletter))
