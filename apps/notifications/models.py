"""Who is told what about a network: a setting picks a kind of event (fleet alerts, faults...), which alert types
and severities, how often to check and how long to wait; its targets are staff users or external emails."""
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import ScopedModel, TimeStampedModel
from apps.fleet.models import FleetAlert


class NotificationSetting(TimeStampedModel):
    class Type(models.TextChoices):
        FLEET_ALERT = "fleet-alert"
        VEHICLE_FAULT = "vehicle-fault"
        STATION_DOWN = "station-down"
        SUPPORT_REPORT = "support-report"
        SUPPORT_MESSAGE = "support-message"

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="notification_settings")
    notification_type = models.CharField(max_length=20, choices=Type.choices)
    alert_types = ArrayField(models.CharField(max_length=40, choices=FleetAlert.Type.choices))
    alert_severities = ArrayField(models.CharField(max_length=10, choices=FleetAlert.Severity.choices))
    check_interval = models.PositiveIntegerField(default=300, help_text="Seconds between two checks.")
    check_delay = models.PositiveIntegerField(default=0, help_text="Only events older than this (seconds) are sent.")
    checked_until = models.DateTimeField(null=True, blank=True, editable=False,
                                         help_text="The events up to this moment have been checked and sent.")

    scope_network_path = "network"

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.notification_type} for {self.network}"


class NotificationTarget(ScopedModel):
    """A staff user, or an external email (added in the admin), told by one setting."""

    setting = models.ForeignKey(NotificationSetting, on_delete=models.CASCADE, related_name="targets")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(null=True, blank=True)

    scope_network_path = "setting__network"

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(user__isnull=False, email__isnull=True)
                                   | models.Q(user__isnull=True, email__isnull=False), name="target_is_user_or_email"),
            models.UniqueConstraint(fields=["setting", "user"], name="target_user_once"),
            models.UniqueConstraint(fields=["setting", "email"], name="target_email_once"),
        ]

    def __str__(self):
        return str(self.user or self.email)


class NotificationDigest(ScopedModel):
    """What one check of a setting found: the events of its window (after the last check's, up to the check's time
    less the delay), for the setting's targets of that moment. Created in the same transaction that moves the
    setting's `checked_until` past the window, so each event is in one digest per setting; mailed after the commit,
    one mail per recipient, each recorded in `sent_to` as it goes, so a retry never mails one twice
    (apps.notifications.delivery)."""

    class State(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed", "failed (every recipient refused)"

    setting = models.ForeignKey(NotificationSetting, on_delete=models.CASCADE, related_name="digests")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    subject = models.CharField(max_length=200)
    lines = models.JSONField(default=list, help_text="The events: kind, id, time and text of each.")
    truncated = models.BooleanField(default=False, help_text="The window held more events than the digest lists.")
    recipients = ArrayField(models.EmailField())
    sent_to = ArrayField(models.EmailField(), default=list, blank=True)
    refused = ArrayField(models.EmailField(), default=list, blank=True,
                         help_text="Addresses the mail server refused (not tried again).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True,
                                         help_text="A worker sends it until then; another may take it over after.")
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "setting__network"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "created_at"], condition=models.Q(state="pending"),
                                name="digest_pending_idx")]
        constraints = [models.UniqueConstraint(fields=["setting", "window_end"], name="digest_once_per_window")]

    def __str__(self):
        return f"{self.subject} ({self.state})"
