"""The physical fleet: clusters (a place with stations), their stations and the spots vehicles dock in.

Cluster-level objects carry `scope_cluster_path`: a grant whose organizational unit lists clusters sees
only those clusters' objects in their network.
"""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.models import ScopedModel, TimeStampedModel
from apps.core.permissions import object_permission_choices


class Cluster(TimeStampedModel):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="clusters")
    name = models.CharField(max_length=100)
    address = models.CharField(max_length=255, blank=True, help_text="Shown as the cluster's location; informative only.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    badge_reader = models.BooleanField(default=False)
    max_unlock_distance = models.PositiveSmallIntegerField(
        default=100, validators=[MinValueValidator(25), MaxValueValidator(500)],
        help_text="Meters between the rider and the cluster within which a vehicle may be unlocked.",
    )
    comment = models.TextField(blank=True, help_text="Internal, shown on the dashboard only.")
    commissioned_at = models.DateTimeField(null=True, blank=True)
    decommissioned_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "network"
    scope_cluster_path = "id"

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["network", "name"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_unlock_distance__gte=25, max_unlock_distance__lte=500),
                                   name="cluster_unlock_distance_25_500"),
        ]
        # django-guardian object grants: "this user holds `trips` on this cluster".
        permissions = object_permission_choices()

    def __str__(self):
        return self.name


class ClusterDescription(TimeStampedModel):
    """What riders read about a cluster, per language."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="descriptions")
    lang = models.CharField(max_length=2, help_text="ISO 639-1, lowercase.")
    text = models.CharField(max_length=500)

    scope_network_path = "cluster__network"
    scope_cluster_path = "cluster"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cluster", "lang"], name="cluster_description_lang_unique")]

    def __str__(self):
        return f"{self.cluster} [{self.lang}]"


class ClusterPicture(TimeStampedModel):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="pictures")
    key = models.CharField(max_length=255, unique=True, help_text="Name of the file in the media storage.")
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    scope_network_path = "cluster__network"
    scope_cluster_path = "cluster"

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.key


class Station(TimeStampedModel):
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="stations")
    name = models.CharField(max_length=100)
    serial_number = models.CharField(max_length=32, blank=True)
    decommissioned_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "cluster__network"
    scope_cluster_path = "cluster"

    class Meta:
        ordering = ["cluster", "name", "id"]

    def __str__(self):
        return self.name


class StationOutage(models.Model):
    """A period during which a physical station was out of service (power, network, hardware)."""

    class Reason(models.TextChoices):
        POWER = "power"
        CONNECTIVITY = "connectivity"
        HARDWARE = "hardware"
        MAINTENANCE = "maintenance"

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="outages")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Empty while the outage lasts.")
    reason = models.CharField(max_length=20, choices=Reason.choices)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["station", "-started_at"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
            name="outage_ends_after_start")]

    def __str__(self):
        return f"{self.station} {self.reason} from {self.started_at:%Y-%m-%d %H:%M}"


class StationEnergyReading(models.Model):
    """Energy a station consumed since its previous reading (a time series, aggregated in SQL)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="energy_readings")
    measured_at = models.DateTimeField()
    energy_wh = models.PositiveIntegerField(help_text="Watt-hours consumed since the previous reading.")

    class Meta:
        indexes = [models.Index(fields=["station", "measured_at"])]
        constraints = [models.UniqueConstraint(fields=["station", "measured_at"], name="energy_reading_unique")]

    def __str__(self):
        return f"{self.station} {self.energy_wh} Wh at {self.measured_at}"


class Spot(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="spots")
    number = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["station", "number"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="spot_number_unique")]

    def __str__(self):
        return f"{self.station} #{self.number}"


class VehicleModel(TimeStampedModel):
    """A make of bike or scooter (e.g. "E-Bike V3"), shared by every network. What it is (form factor, propulsion,
    range, top speed) is published in the open-data feeds (GBFS vehicle_types, MDS vehicles)."""

    class FormFactor(models.TextChoices):  # GBFS 3.0 form_factor
        BICYCLE = "bicycle"
        CARGO_BICYCLE = "cargo_bicycle"
        SCOOTER_STANDING = "scooter_standing"
        SCOOTER_SEATED = "scooter_seated"
        MOPED = "moped"
        OTHER = "other"

    class Propulsion(models.TextChoices):  # GBFS 3.0 propulsion_type (the ones a bike or scooter fleet has)
        HUMAN = "human"
        ELECTRIC_ASSIST = "electric_assist"
        ELECTRIC = "electric"

    name = models.CharField(max_length=20, unique=True)
    form_factor = models.CharField(max_length=20, choices=FormFactor.choices, default=FormFactor.BICYCLE)
    propulsion_type = models.CharField(max_length=20, choices=Propulsion.choices, default=Propulsion.ELECTRIC_ASSIST)
    max_range_meters = models.PositiveIntegerField(
        default=50_000, validators=[MaxValueValidator(1_000_000)],
        help_text="Distance on a full battery (motorized models).")
    max_speed_kmh = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)],
                                                     help_text="Top speed, km/h.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Vehicle(TimeStampedModel):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="vehicles")
    serial_number = models.CharField(max_length=10, unique=True)
    model = models.ForeignKey(VehicleModel, on_delete=models.PROTECT, related_name="vehicles")
    spot = models.OneToOneField(Spot, null=True, blank=True, on_delete=models.SET_NULL, related_name="vehicle",
                                help_text="The spot the vehicle is docked in, if any.")
    battery_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="Percent.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    position_at = models.DateTimeField(null=True, blank=True, help_text="When the position was last reported.")
    decommissioned_at = models.DateTimeField(null=True, blank=True)

    # Vehicles move between clusters and float freely: they are network-level objects.
    scope_network_path = "network"

    class Meta:
        ordering = ["serial_number"]

    def __str__(self):
        return self.serial_number


class VehicleDecommission(TimeStampedModel):
    """Why and at what gain or cost a vehicle left the fleet (amount in the network's currency)."""

    class Reason(models.TextChoices):
        LOST_OR_STOLEN = "lost-or-stolen"
        SOLD = "sold"
        IRREPARABLE = "irreparable"
        ECONOMICAL = "economical"

    vehicle = models.OneToOneField(Vehicle, on_delete=models.CASCADE, related_name="decommission")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    comment = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True,
                                 help_text="Sale price, or recycling cost as a negative amount.")
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    decommissioned_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")

    scope_network_path = "vehicle__network"

    def __str__(self):
        return f"{self.vehicle} ({self.reason})"


class ExternalLock(TimeStampedModel):
    """A separate lock (U-lock, chain...) fitted to a vehicle; riders see its code in the app."""

    class Type(models.TextChoices):
        U = "u"
        FOLDABLE = "foldable"
        FLEXIBLE = "flexible"
        CHAIN = "chain"
        FRAME = "frame"

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="external_locks")
    model = models.CharField(max_length=64)
    type = models.CharField(max_length=10, choices=Type.choices)
    serial_number = models.CharField(max_length=64, unique=True)
    code = models.CharField(max_length=16)
    decommissioned_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "vehicle__network"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["vehicle"], condition=models.Q(decommissioned_at__isnull=True),
                                               name="one_active_external_lock_per_vehicle")]

    def __str__(self):
        return f"{self.type} lock {self.serial_number}"


class FleetAlert(TimeStampedModel):
    """Something the fleet reported that staff must look at (an unexpected unlock, a power cut...)."""

    class Type(models.TextChoices):
        UNEXPECTED_UNLOCK = "unexpected-unlock"
        SPOT_IDENTIFY_FAIL = "spot-identify-fail"
        SPOT_HIGH_TEMPERATURE = "spot-high-temperature"
        STATION_POWER_CUT = "station-power-cut"
        STATION_ALARM_TRIGGERED = "station-alarm-triggered"
        VEHICLE_ILLEGAL_MOVING = "vehicle-illegal-moving"
        VEHICLE_DISMANTLING = "vehicle-dismantling"
        VEHICLE_LIFTED = "vehicle-lifted"
        VEHICLE_FALLEN = "vehicle-fallen"
        VEHICLE_OUT_OF_NETWORK_AREA = "vehicle-out-of-network-area"
        # Raised by the telemetry's rules (apps.telemetry.rules); the product's extension of the seed's AlertType.
        VEHICLE_LOW_BATTERY = "vehicle-low-battery"
        VEHICLE_OFFLINE = "vehicle-offline"
        VEHICLE_IN_NO_PARKING_ZONE = "vehicle-in-no-parking-zone"
        VEHICLE_SPEEDING = "vehicle-speeding"

    class Severity(models.TextChoices):
        LOW = "low"
        HIGH = "high"
        CRITICAL = "critical"

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="fleet_alerts")
    alert_type = models.CharField(max_length=40, choices=Type.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    message = models.CharField(max_length=255, blank=True)
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text="The rider involved, if any.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    rule = models.CharField(max_length=40, blank=True, editable=False,
                            help_text="The telemetry rule that raised it, which resolves it when its condition ends.")

    scope_network_path = "network"
    # An alert about a cluster is a cluster-level object; one about a vehicle or a rider is network-level.
    scope_cluster_path = "cluster"
    scope_cluster_optional = True

    class Meta:
        indexes = [models.Index(fields=["network", "resolved_at"]), models.Index(fields=["network", "-created_at"])]
        constraints = [
            # A rule raises its alert once: while one is open for a vehicle, the next message finds it there.
            models.UniqueConstraint(fields=["vehicle", "rule"], condition=models.Q(resolved_at__isnull=True)
                                    & ~models.Q(rule=""), name="one_open_rule_alert_per_vehicle"),
        ]

    def __str__(self):
        return f"{self.alert_type} ({self.severity})"


class MaintenanceType(TimeStampedModel):
    """A kind of repair or check (e.g. "flat-tyre"); shared by every network. Deleting only retires it."""

    class Target(models.TextChoices):
        STATION = "station"
        SPOT = "spot"
        VEHICLE = "vehicle"

    class Severity(models.TextChoices):
        INFO = "info"
        LOW = "low"
        HIGH = "high"

    key = models.CharField(max_length=50, unique=True)
    target_type = models.CharField(max_length=10, choices=Target.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Retired: no new maintenance may use it.")

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key


class Maintenance(TimeStampedModel):
    """A maintenance opened on a vehicle, a spot or a station, until it is closed."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="maintenances")
    type = models.ForeignKey(MaintenanceType, on_delete=models.PROTECT, related_name="maintenances")
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.CASCADE, related_name="maintenances")
    spot = models.ForeignKey(Spot, null=True, blank=True, on_delete=models.CASCADE, related_name="maintenances")
    station = models.ForeignKey(Station, null=True, blank=True, on_delete=models.CASCADE, related_name="maintenances")
    comment = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_network_path = "network"
    # A maintenance of a station or spot is a cluster-level object; one of a vehicle is network-level.
    scope_cluster_path = ("station__cluster", "spot__station__cluster")
    scope_cluster_optional = True

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["network", "ended_at"])]
        constraints = [models.CheckConstraint(
            condition=(models.Q(vehicle__isnull=False, spot__isnull=True, station__isnull=True)
                       | models.Q(vehicle__isnull=True, spot__isnull=False, station__isnull=True)
                       | models.Q(vehicle__isnull=True, spot__isnull=True, station__isnull=False)),
            name="maintenance_has_one_target")]

    def __str__(self):
        return f"{self.type} on {self.vehicle or self.spot or self.station}"


class IotCommand(ScopedModel):
    """A command to a vehicle through the IoT provider, and where it stands (apps.fleet.commands):

    pending -> sent -> acknowledged | failed; a sent command unanswered past its deadline is sent again until its
    attempts run out, then it is timed out. A provider that cannot be reached leaves it pending (retried). An answer
    after the command gave up is kept (`answered_at`, `late`) but does not change its outcome.

    `idempotency_key` makes a repeated request a no-op: a task that resends after a crash never doubles a command.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        ACKNOWLEDGED = "acknowledged"
        FAILED = "failed"
        TIMED_OUT = "timed_out"

    class Source(models.TextChoices):
        STAFF = "staff"
        TRIP = "trip"
        SYSTEM = "system"

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="iot_commands")
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="+",
                                help_text="The vehicle's network when the command was sent: history stays there.")
    command = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True, help_text="When it was asked for.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SYSTEM)
    requested_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1),
                                                                           MaxValueValidator(10)])
    timeout = models.PositiveIntegerField(default=30, validators=[MinValueValidator(1), MaxValueValidator(3600)],
                                          help_text="Seconds an attempt waits for the vehicle's answer.")
    deadline = models.DateTimeField(null=True, blank=True, help_text="When the current attempt times out.")
    answered_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False, help_text="The vehicle answered after the command gave up.")
    error = models.CharField(max_length=200, blank=True)

    scope_network_path = "network"

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["vehicle", "-sent_at"]),
                   models.Index(fields=["deadline"], condition=models.Q(status="sent"), name="iot_command_waiting")]

    def __str__(self):
        return f"{self.command} to {self.vehicle}"
