"""What the mobile apps report and check: crash reports, and the current and minimal version per platform."""
from django.conf import settings
from django.db import models

from apps.core.models import TimeStampedModel


class Platform(models.TextChoices):
    ANDROID = "android"
    IOS = "ios"
    LEGACY = "legacy"


class AppReport(TimeStampedModel):
    """An unknown error an app met and sent (its message and stack trace), until a developer resolves it."""

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    app_version = models.PositiveIntegerField()
    device_id = models.CharField(max_length=50, blank=True)
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    message = models.CharField(max_length=1000)
    stack_trace = models.TextField(max_length=20000, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    scope_app_label_path = "app_label"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["resolved_at", "app_label"])]

    def __str__(self):
        return f"{self.platform} {self.app_version}: {self.message[:60]}"


class AppVersion(TimeStampedModel):
    """The version an app label's app should update to (`current`) and the oldest still allowed (`minimal`)."""

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="app_versions")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    current = models.PositiveIntegerField()
    minimal = models.PositiveIntegerField()

    scope_app_label_path = "app_label"

    class Meta:
        ordering = ["app_label", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["app_label", "platform"], name="one_version_per_app_platform"),
            models.CheckConstraint(condition=models.Q(minimal__lte=models.F("current")), name="minimal_not_above_current"),
        ]

    def __str__(self):
        return f"{self.app_label} {self.platform}: {self.minimal}..{self.current}"
