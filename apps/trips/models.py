"""Trips: one rental of a vehicle by a rider, from its start to its end (or cancellation)."""
import uuid

from django.conf import settings
from django.db import models

from apps.core.models import TimeStampedModel


class TripState(models.TextChoices):
    FINISHED = "finished"
    RUNNING = "running"
    ON_HOLD = "on-hold"
    CANCELLED = "cancelled"


class Trip(TimeStampedModel):
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="trips")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trips")
    vehicle = models.ForeignKey("fleet.Vehicle", on_delete=models.PROTECT, related_name="trips")
    start_cluster = models.ForeignKey("fleet.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    end_cluster = models.ForeignKey("fleet.Cluster", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=TripState.choices, default=TripState.RUNNING)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    distance = models.PositiveIntegerField(default=0, help_text="Meters.")
    duration = models.PositiveIntegerField(default=0, help_text="Seconds.")
    amount = models.DecimalField(max_digits=12, decimal_places=4, default=0,
                                 help_text="What the rider was charged, in the network's currency.")
    demo = models.BooleanField(default=False)

    # A trip is a network-level object: a grant limited to some clusters still sees all the network's trips.
    scope_network_path = "network"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["network", "-id"]), models.Index(fields=["network", "started_at"]),
                   models.Index(fields=["vehicle", "started_at"]),  # a vehicle's history (timeline, statistics)
                   models.Index(fields=["start_cluster", "end_cluster", "duration"])]  # balancing estimates

    def __str__(self):
        return f"Trip {self.pk}"
