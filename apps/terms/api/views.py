from functools import cached_property
import base64
import binascii

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import RegexValidator
from rest_framework import serializers

from apps.applabels.models import AppLabel
from apps.core.api.params import CatalogSerializer
from apps.core.api.views import OperationView
from apps.core.exceptions import NotFound, ValidationFailed
from apps.networks.models import Network
from apps.organizations.models import Organization

from .. import services
from ..models import TermsContent, TermsOfUse

TARGETS = {"app_label": AppLabel, "network": Network, "organization": Organization}


class ContentLinkOut(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = TermsContent
        fields = ["lang", "file_name", "pdf_url"]

    def get_pdf_url(self, content) -> str | None:
        return services.document_url(content=content)


class TermsOut(serializers.ModelSerializer):
    type = serializers.CharField(source="target_type")
    type_id = serializers.IntegerField(source="target_id")
    contents = ContentLinkOut(many=True)
    notification_progress = serializers.SerializerMethodField(help_text="Riders notified / to notify.")

    class Meta:
        model = TermsOfUse
        fields = ["id", "type", "type_id", "version", "published_at", "contents", "notify_total", "notify_sent",
                  "notify_finished_at", "notification_progress", "created_at"]

    def get_notification_progress(self, terms) -> str:
        return f"{terms.notify_sent}/{terms.notify_total}"


class ContentOut(serializers.ModelSerializer):
    class Meta:
        model = TermsContent
        fields = ["lang", "content", "file_name", "updated_at"]


class AttachmentOut(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_url(self, attachment) -> str:
        return default_storage.url(attachment.file_key)


BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


class AttachmentBody(CatalogSerializer):
    """The seed sends this file in a JSON body: `attachment` is the PDF encoded in base64 (RFC 4648)."""

    operation_id = "addTermsOfUseAttachment"
    attachment = serializers.CharField(
        max_length=2_800_000, trim_whitespace=False, validators=[RegexValidator(
            BASE64, message="Must be base64 (RFC 4648).")],
        help_text="The PDF, base64-encoded (at most 2 MiB once decoded: the request size limit).")

    def validate_attachment(self, value):
        try:
            return ContentFile(base64.b64decode(value, validate=True), name="attachment.pdf")
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Must be base64 (RFC 4648).") from None


class TargetTerms(OperationView):
    """The versions of a target's terms (newest first), and a new draft version."""

    operations = {"GET": "getTermsOfUse", "POST": "createTermsOfUse"}
    output_serializers = {"GET": TermsOut, "POST": TermsOut}
    queryset = TermsOfUse.objects.all()

    def target(self):
        kind = self.kwargs["type"]
        if kind not in TARGETS:
            raise ValidationFailed.on("type", f"Must be one of {', '.join(TARGETS)}.")
        return kind, self.get_object(pk=self.kwargs["type_id"], queryset=self.scoped(TARGETS[kind].objects.all()))

    def get(self, request, type, type_id):
        kind, target = self.target()
        versions = self.get_queryset().filter(target_type=kind, **{kind: target}).prefetch_related("contents")
        return self.respond_list(versions)

    def post(self, request, type, type_id):
        kind, target = self.target()
        return self.respond_object(services.terms_create(target_type=kind, target=target))


class TermsView(OperationView):
    queryset = TermsOfUse.objects.all()

    @cached_property
    def terms(self) -> TermsOfUse:
        return self.get_object(pk=self.kwargs["terms_of_use_id"])


class TermsPublish(TermsView):
    operations = {"POST": "publishTermsOfUse"}

    def post(self, request, terms_of_use_id):
        services.terms_publish(terms=self.terms, actor=request.user)
        return self.respond()


class TermsContentView(TermsView):
    operations = {"GET": "getTermsOfUseContent", "PUT": "upsertTermsOfUseContent"}
    output_serializers = {"GET": ContentOut}

    def get(self, request, terms_of_use_id, lang):
        content = self.terms.contents.filter(lang=lang.lower()).first()
        if content is None:
            raise NotFound(f"These terms have no content in {lang}.")
        return self.respond_object(content)

    def put(self, request, terms_of_use_id, lang):
        services.content_upsert(terms=self.terms, lang=lang, content=self.body["content"],
                                file_name=self.body["file_name"])
        return self.respond()


class TermsAttachments(TermsView):
    operations = {"GET": "listTermsOfUseAttachments", "POST": "addTermsOfUseAttachment",
                  "DELETE": "deleteTermsOfUseAttachment"}
    body_serializers = {"POST": AttachmentBody}
    output_serializers = {"GET": AttachmentOut, "POST": AttachmentOut}

    def get(self, request, terms_of_use_id, lang):
        return self.respond_list(self.terms.attachments.filter(lang=lang.lower()))

    def post(self, request, terms_of_use_id, lang):
        return self.respond_object(services.attachment_add(terms=self.terms, lang=lang,
                                                           attachment_name=self.body["attachment_name"],
                                                           attachment=self.body["attachment"]))

    def delete(self, request, terms_of_use_id, lang):
        services.attachment_delete(terms=self.terms, lang=lang, attachment_name=self.query["attachment_name"])
        return self.respond()
