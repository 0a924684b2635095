"""Riders as the support team sees them: the networks they interact with, their devices and badges, the blocks
put on them, the messages sent to them, and erasures done on request (docs/riders.md)."""
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from apps.core.models import ScopedModel, TimeStampedModel
from apps.core.permissions import Scope
from apps.organizations.models import Organization


def rider_scope_filter(scope: Scope, rider_path: str = "") -> Q:
    """Riders inside `scope`: members of one of its networks (they rode or reported there), members of one of its
    organizations, or registered through one of its app labels. A rider of no network is seen by global grants
    only. `rider_path` leads from another model to the rider ("rider", "report__rider")."""
    ref = OuterRef(f"{rider_path}__pk" if rider_path else "pk")
    prefix = f"{rider_path}__" if rider_path else ""
    condition = Q(Exists(NetworkMembership.objects.filter(rider=ref, network_id__in=scope.networks)))
    if scope.organizations:
        condition |= Q(Exists(_organization_memberships().filter(user_id=ref, organization_id__in=scope.organizations)))
    if scope.app_labels:
        condition |= Q(**{f"{prefix}app_label_id__in": scope.app_labels})
    return condition


def _organization_memberships():
    return Organization.members.through.objects


class NetworkMembership(TimeStampedModel):
    """A rider belongs to a network from the moment it interacts with it (a trip, a support report...)."""

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships")
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    first_activity_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    trip_count = models.PositiveIntegerField(default=0, help_text="Trips the rider started in this network.")

    scope_network_path = "network"

    class Meta:
        ordering = ["network", "rider"]
        constraints = [models.UniqueConstraint(fields=["network", "rider"], name="one_membership_per_network")]
        # The user list of one network, sorted by each figure (keyset on the rider's id).
        indexes = [models.Index(fields=["rider", "network"]),
                   models.Index(fields=["network", "last_activity_at", "rider"], name="membership_activity_idx"),
                   models.Index(fields=["network", "trip_count", "rider"], name="membership_trips_idx")]

    def __str__(self):
        return f"{self.rider} in {self.network}"


class RiderOwned:
    """Rows about one rider (`rider`) are seen by whoever sees the rider."""

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        return rider_scope_filter(scope, "rider")


class UserBlock(RiderOwned, TimeStampedModel):
    """A block put on a rider (who, when, why) until someone lifts it; the history is kept."""

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks")
    reason = models.CharField(max_length=1000)
    blocked_at = models.DateTimeField()
    blocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    unblocked_at = models.DateTimeField(null=True, blank=True)
    unblocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["-blocked_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rider"], condition=Q(unblocked_at__isnull=True),
                                               name="one_open_block_per_rider")]

    def __str__(self):
        return f"{self.rider} blocked {self.blocked_at:%Y-%m-%d}"


class Device(RiderOwned, TimeStampedModel):
    """A phone a rider used; the same `device_id` on several accounts is a fraud signal."""

    class Platform(models.TextChoices):
        ANDROID = "android"
        IOS = "ios"
        LEGACY = "legacy"

    device_id = models.CharField(max_length=50, db_index=True)
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    model = models.CharField(max_length=100, blank=True)
    os_version = models.CharField(max_length=30, blank=True)
    app_version = models.PositiveIntegerField(null=True, blank=True)
    push_token = models.CharField(max_length=255, blank=True, help_text="Empty: push notifications are off.")
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["device_id", "rider"], name="one_device_row_per_rider")]

    def __str__(self):
        return f"{self.device_id} ({self.platform})"


class Badge(RiderOwned, TimeStampedModel):
    """An RFID badge a rider unlocks vehicles with at clusters that have a badge reader."""

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges")
    number = models.CharField(max_length=32, unique=True)
    label = models.CharField(max_length=100, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.number


class RiderMessage(RiderOwned, TimeStampedModel):
    """A push notification, SMS or e-mail sent to a rider, with what the provider answered."""

    class Channel(models.TextChoices):
        PUSH = "push"
        SMS = "sms"
        EMAIL = "email"

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENT = "sent"
        FAILED = "failed"
        # The provider had the whole mail but its answer was lost: maybe delivered. Never resent on its own (a rider
        # gets a newsletter at most once); staff may resend these from the admin.
        UNCONFIRMED = "unconfirmed"

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_received")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=10000)
    template = models.CharField(max_length=100, blank=True, help_text="The mail template, for e-mails sent from one.")
    variables = models.JSONField(default=dict, blank=True, help_text="The template's values (apps.mail.catalog).")
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    provider_message_id = models.CharField(max_length=255, blank=True)
    error = models.CharField(max_length=500, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", help_text="The staff member who wrote it; empty for automatic ones.")
    sent_at = models.DateTimeField(null=True, blank=True)
    # E-mail tracking (apps.mail.tracking): first open (the pixel) and first click (a signed redirect).
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["rider", "channel", "created_at"])]

    def __str__(self):
        return f"{self.channel} to {self.rider}: {self.status}"


class RiderErasure(ScopedModel):
    """An erasure done on a rider's request (GDPR art. 17): who asked for it and when. Names no personal data."""

    rider_id = models.BigIntegerField(help_text="The erased account, kept anonymized for the trips and payments.")
    erased_at = models.DateTimeField()
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"Rider {self.rider_id} erased {self.erased_at:%Y-%m-%d}"


class PhoneCode(ScopedModel):
    """A one-time code sent by SMS to sign up or log in with a phone number in an app label: kept hashed, valid
    PHONE_CODE_MINUTES, five wrong tries at most, used once (apps.riders.app_accounts)."""

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="+")
    phone_number = models.CharField(max_length=16, help_text="E.164, e.g. +33612345678.")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    scope_app_label_path = "app_label"

    class Meta:
        indexes = [models.Index(fields=["app_label", "phone_number", "created_at"])]

    def __str__(self):
        return f"Code for {self.phone_number}"
