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
