"""What vehicles report: the IoT providers allowed to report (a token each), the devices fitted to vehicles, every
message kept by time (a table partitioned by day, `TelemetryMessage`), each vehicle's latest state, and the
thresholds of the alert rules per network."""
import secrets

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.accounts.models import hash_token
from apps.core.models import ScopedModel, TimeStampedModel


def _range(low, high):
    return [MinValueValidator(low), MaxValueValidator(high)]


class TelemetryProvider(TimeStampedModel):
    """An IoT gateway or vendor that reports vehicles' messages with its bearer token. It reports only the vehicles
    whose device it fitted (`TelemetryDevice`). Only the token's hash is stored; the token is shown once."""

    name = models.CharField(max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def new_token() -> tuple[str, str]:
        """(token, its hash): the token is given to the provider, the hash is stored."""
        token = "tlm_" + secrets.token_urlsafe(32)
        return token, hash_token(token)


class TelemetryDevice(TimeStampedModel):
    """The IoT box fitted to a vehicle, under the identifier its provider reports it by."""

    provider = models.ForeignKey(TelemetryProvider, on_delete=models.PROTECT, related_name="devices")
    vehicle = models.OneToOneField("fleet.Vehicle", on_delete=models.CASCADE, related_name="telemetry_device")
    device_id = models.CharField(max_length=64, help_text="The identifier the provider's messages carry.")

    scope_network_path = "vehicle__network"

    class Meta:
        ordering = ["provider", "device_id"]
        constraints = [models.UniqueConstraint(fields=["provider", "device_id"], name="one_device_id_per_provider")]

    def __str__(self):
        return f"{self.device_id} ({self.provider})"


class TelemetryMessage(ScopedModel):
    """One message a vehicle reported. The table is partitioned by day of `recorded_at` (migration 0001,
    apps.telemetry.history) and written in batches by SQL (apps.telemetry.ingestion); Django only reads it.
    `network` is the vehicle's network when it reported: a vehicle moved to another network leaves its history in
    the first one."""

    id = models.BigIntegerField(primary_key=True)
    recorded_at = models.DateTimeField()
    received_at = models.DateTimeField()
    provider = models.ForeignKey(TelemetryProvider, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    message_id = models.CharField(max_length=64)
    vehicle = models.ForeignKey("fleet.Vehicle", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    network = models.ForeignKey("networks.Network", on_delete=models.DO_NOTHING, related_name="+",
                                db_constraint=False)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    battery = models.SmallIntegerField(null=True)
    locked = models.BooleanField(null=True)
    speed = models.FloatField(null=True, help_text="km/h")
    odometer = models.BigIntegerField(null=True, help_text="meters")
    error_codes = ArrayField(models.CharField(max_length=32), default=list)

    scope_network_path = "network"

    class Meta:
        managed = False
        db_table = "telemetry_message"
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return f"{self.message_id} of vehicle {self.vehicle_id} at {self.recorded_at:%Y-%m-%d %H:%M:%S}"


class VehicleState(ScopedModel):
    """A vehicle's latest reported state (its newest message's: an older message arriving late changes nothing), and
    what the alert rules remember between messages."""

    vehicle = models.OneToOneField("fleet.Vehicle", on_delete=models.CASCADE, primary_key=True, related_name="state")
    reported_at = models.DateTimeField()
    received_at = models.DateTimeField()
    message_id = models.CharField(max_length=64)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    battery = models.SmallIntegerField(null=True)
    locked = models.BooleanField(null=True)
    speed = models.FloatField(null=True)
    odometer = models.BigIntegerField(null=True)
    error_codes = ArrayField(models.CharField(max_length=32), default=list)
    at_rest_since = models.DateTimeField(null=True, help_text="Since when it has not moved (no-parking rule).")
    anchor_latitude = models.FloatField(null=True, help_text="Where it was left (the theft rule's reference).")
    anchor_longitude = models.FloatField(null=True)
    anchored_at = models.DateTimeField(null=True)

    scope_network_path = "vehicle__network"

    class Meta:
        indexes = [models.Index(fields=["reported_at"])]

    def __str__(self):
        return f"State of {self.vehicle_id} at {self.reported_at:%Y-%m-%d %H:%M:%S}"


class AlertThresholds(TimeStampedModel):
    """A network's thresholds of the telemetry's alert rules (apps.telemetry.rules); a network without a row uses the
    defaults. The border rule follows the network's border settings (`trigger_alert`)."""

    network = models.OneToOneField("networks.Network", on_delete=models.CASCADE, related_name="alert_thresholds")
    low_battery = models.PositiveSmallIntegerField(default=15, validators=_range(1, 99),
                                                   help_text="Percent: below it, a low-battery alert.")
    offline_after = models.PositiveIntegerField(default=1800, validators=_range(60, 604_800),
                                                help_text="Seconds without a message: an offline alert.")
    theft_distance = models.PositiveIntegerField(
        default=150, validators=_range(10, 100_000),
        help_text="Meters a vehicle may move from where it was left without a trip before a theft alert.")
    no_parking_grace = models.PositiveIntegerField(
        default=300, validators=_range(0, 86_400),
        help_text="Seconds a vehicle may stand in a no-parking zone without a trip before an alert.")
    speeding_tolerance = models.PositiveSmallIntegerField(
        default=3, validators=_range(0, 30), help_text="km/h over a speed zone's limit tolerated.")

    scope_network_path = "network"

    class Meta:
        verbose_name_plural = "alert thresholds"

    def __str__(self):
        return f"Alert thresholds of {self.network}"
