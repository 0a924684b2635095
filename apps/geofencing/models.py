"""Areas drawn on a network's map: virtual parkings (attached to a cluster or standalone), the network's
border and what happens beyond it, speed zones."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.geo import ShapedModel
from apps.core.models import RestrictedQuerySet, TimeStampedModel


class VirtualParking(ShapedModel, TimeStampedModel):
    """A painted or virtual area where free-floating vehicles may be left, up to `capacity` of them."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="virtual_parkings")
    cluster = models.ForeignKey("fleet.Cluster", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="parkings", help_text="Empty for a standalone parking.")
    capacity = models.PositiveIntegerField()

    scope_network_path = "network"
    # Standalone parkings belong to no cluster: a grant limited to clusters does not see them.
    scope_cluster_path = "cluster"

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["network", "cluster"])]

    def __str__(self):
        where = f"cluster {self.cluster_id}" if self.cluster_id else "standalone"
        return f"Parking {self.pk} ({where}, {self.capacity} places)"


class NetworkBorder(ShapedModel, TimeStampedModel):
    """The limit of a network's service area."""

    network = models.OneToOneField("networks.Network", on_delete=models.CASCADE, related_name="border")

    scope_network_path = "network"

    def __str__(self):
        return f"Border of {self.network}"


class BorderSettings(TimeStampedModel):
    """What happens when a rented vehicle leaves the network's border (all off until set)."""

    network = models.OneToOneField("networks.Network", on_delete=models.CASCADE, related_name="border_settings")
    trigger_alert = models.BooleanField(default=False, help_text="Raise a fleet alert (vehicle-out-of-network-area).")
    notify_user = models.BooleanField(default=False, help_text="Push a notification to the rider.")
    reduce_vehicle_speed = models.BooleanField(default=False, help_text="Bring the vehicle to its minimum speed.")
    play_vehicle_sound = models.BooleanField(default=False, help_text="Play the geofencing sound.")
    lock_vehicle = models.BooleanField(default=False)

    scope_network_path = "network"

    class Meta:
        verbose_name_plural = "border settings"

    def __str__(self):
        return f"Border settings of {self.network}"


class InForceQuerySet(RestrictedQuerySet):
    """Areas whose deletion only dates them (`deleted_at`), for history."""

    def in_force(self):
        return self.filter(deleted_at__isnull=True)


class SpeedZone(ShapedModel, TimeStampedModel):
    """An area where vehicles may not go faster than `max_speed` km/h. Deleting only dates it, for history."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="speed_zones")
    max_speed = models.PositiveSmallIntegerField(validators=[MinValueValidator(6), MaxValueValidator(25)],
                                                 help_text="km/h")
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = InForceQuerySet.as_manager()

    scope_network_path = "network"

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["network", "deleted_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(max_speed__gte=6, max_speed__lte=25),
                                              name="speed_zone_max_speed_6_25")]

    def __str__(self):
        return f"{self.max_speed} km/h zone {self.pk}"


class NoParkingZone(ShapedModel, TimeStampedModel):
    """An area where no trip may end (a pedestrian street, a park's lawn). Deleting only dates it, for history."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="no_parking_zones")
    name = models.CharField(max_length=100, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = InForceQuerySet.as_manager()

    scope_network_path = "network"

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["network", "deleted_at"])]

    def __str__(self):
        return self.name or f"No-parking zone {self.pk}"
