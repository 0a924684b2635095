"""Terms of use per app label, network or organization: versions with a content per language (Markdown, sent as a
PDF), attachments, publication (frozen afterwards) and the notification of every concerned rider."""
from django.conf import settings
from django.db import models

from apps.core.models import TimeStampedModel


class TermsOfUse(TimeStampedModel):
    class Target(models.TextChoices):
        APP_LABEL = "app_label"
        NETWORK = "network"
        ORGANIZATION = "organization"

    target_type = models.CharField(max_length=12, choices=Target.choices)
    # Exactly one of these, by `target_type`: the scope follows it.
    app_label = models.ForeignKey("applabels.AppLabel", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    network = models.ForeignKey("networks.Network", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    notify_total = models.PositiveIntegerField(default=0, help_text="Riders to notify, counted at publication.")
    notify_sent = models.PositiveIntegerField(default=0)
    notify_finished_at = models.DateTimeField(null=True, blank=True)

    scope_app_label_path = "app_label"
    scope_network_path = "network"
    scope_organization_path = "organization"

    class Meta:
        ordering = ["-version", "-id"]
        verbose_name_plural = "terms of use"
        constraints = [models.UniqueConstraint(fields=["target_type", "app_label", "network", "organization", "version"],
                                               nulls_distinct=False, name="one_terms_version_per_target")]

    def __str__(self):
        return f"Terms of use v{self.version} ({self.target_type})"

    @property
    def target_id(self) -> int:
        return getattr(self, f"{self.target_type}_id")


class TermsContent(TimeStampedModel):
    terms = models.ForeignKey(TermsOfUse, on_delete=models.CASCADE, related_name="contents")
    lang = models.CharField(max_length=2)
    content = models.TextField(max_length=200000, help_text="Markdown.")
    file_name = models.CharField(max_length=64)
    pdf_key = models.CharField(max_length=255, blank=True, help_text="The PDF rendered at publication.")
    public_token = models.CharField(max_length=43, blank=True,
                                    help_text="In the PDF's public address: riders are sent it; nobody can guess it.")

    class Meta:
        ordering = ["lang"]
        constraints = [models.UniqueConstraint(fields=["terms", "lang"], name="one_terms_content_per_language")]


class TermsAttachment(TimeStampedModel):
    terms = models.ForeignKey(TermsOfUse, on_delete=models.CASCADE, related_name="attachments")
    lang = models.CharField(max_length=2)
    name = models.CharField(max_length=128)
    file_key = models.CharField(max_length=255)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["lang", "name"]
        constraints = [models.UniqueConstraint(fields=["terms", "lang", "name"], name="one_attachment_name")]


class TermsNotification(models.Model):
    """A rider notified of a published version: at most one row per rider and version (the job's idempotency)."""

    terms = models.ForeignKey(TermsOfUse, on_delete=models.CASCADE, related_name="notifications")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["terms", "rider"], name="one_notification_per_rider")]


class TermsAcceptance(models.Model):
    """A rider accepted a published version (recorded by the riders' app; no dashboard operation writes it)."""

    terms = models.ForeignKey(TermsOfUse, on_delete=models.CASCADE, related_name="acceptances")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["terms", "rider"], name="one_acceptance_per_rider")]
