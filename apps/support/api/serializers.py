from django.core.files.storage import default_storage
from rest_framework import serializers

from apps.core.api.params import CatalogSerializer
from apps.networks.models import Network

from ..models import Report, ReportMessage


class ReportOut(serializers.ModelSerializer):
    """The contract's core report fields, and the subject and the last message's date."""

    user_id = serializers.IntegerField(source="rider_id")
    email = serializers.EmailField(source="rider.email")
    networks = serializers.SerializerMethodField(help_text="Ids of the networks the report is linked to.")
    archived = serializers.BooleanField(help_text="Resolved reports are archived.")

    class Meta:
        model = Report
        fields = ["id", "user_id", "email", "subject", "networks", "created_at", "resolved_at", "archived",
                  "last_message_at"]

    def get_networks(self, report) -> list[int]:
        return sorted(n.pk for n in report.networks.all())


class ReportDetailOut(ReportOut):
    firstname = serializers.CharField(source="rider.firstname")
    lastname = serializers.CharField(source="rider.lastname")
    resolved_by_id = serializers.IntegerField(allow_null=True)
    message_count = serializers.IntegerField()

    class Meta(ReportOut.Meta):
        fields = [*ReportOut.Meta.fields, "firstname", "lastname", "resolved_by_id", "message_count"]


class ReportMessageOut(serializers.ModelSerializer):
    image_url = serializers.SerializerMethodField(help_text="Where the image is served; null for text.")

    class Meta:
        model = ReportMessage
        fields = ["id", "from_support", "author_id", "message", "page", "image_url", "created_at", "edited_at",
                  "deleted_at"]

    def get_image_url(self, message) -> str | None:
        return default_storage.url(message.image_key) if message.image_key else None


class LinkNetworkBody(CatalogSerializer):
    operation_id = "linkReportNetwork"
    references = {"network_id": Network.objects.all()}
