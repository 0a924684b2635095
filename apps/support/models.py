"""Support reports opened by riders from the app, and their chat with the support team."""
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from apps.core.models import TimeStampedModel
from apps.core.permissions import Scope


class Report(TimeStampedModel):
    """A rider's support ticket. The networks it is linked to decide who sees it; a report of no network is seen by
    global grants only. Resolving archives it; a new message from either side reopens it."""

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports")
    subject = models.CharField(max_length=200)
    networks = models.ManyToManyField("networks.Network", blank=True, related_name="reports")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["resolved_at", "id"])]

    def __str__(self):
        return f"Report {self.pk}: {self.subject}"

    @property
    def archived(self) -> bool:
        return self.resolved_at is not None

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        links = cls.networks.through.objects.filter(report_id=OuterRef("pk"), network_id__in=scope.networks)
        return Q(Exists(links))


class ReportMessage(TimeStampedModel):
    """One chat message: from the rider or from the support team; text, an image, or both. Staff edit and delete
    only the support team's messages; a deleted message keeps its place in the chat, without its content."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    from_support = models.BooleanField()
    message = models.TextField(max_length=2000, blank=True)
    page = models.CharField(max_length=256, blank=True, help_text="An app page or URL the app shows a button for.")
    image_key = models.CharField(max_length=255, blank=True, help_text="The image file in the media storage.")
    image_content_type = models.CharField(max_length=50, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["report", "created_at"])]

    def __str__(self):
        return f"Message {self.pk} on report {self.report_id}"

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        links = Report.networks.through.objects.filter(report_id=OuterRef("report_id"), network_id__in=scope.networks)
        return Q(Exists(links))
