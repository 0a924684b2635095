"""The physical fleet: clusters (a place with stations), their stations and the spots vehicles dock in.

Cluster-level objects carry `scope_cluster_path`: a grant whose organizational unit lists clusters sees
only those clusters' objects in their network.
"""
from django.db import models

from apps.core.models import TimeStampedModel
from apps.core.permissions import object_permission_choices


class Cluster(TimeStampedModel):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="clusters")
    name = models.CharField(max_length=100)
    address = models.CharField(max_length=255, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    badge_reader = models.BooleanField(default=False)
    commissioned_at = models.DateTimeField(null=True, blank=True)
    decommissioned_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "network"
    scope_cluster_path = "id"

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["network", "name"])]
        # django-guardian object grants: "this user holds `trips` on this cluster".
        permissions = object_permission_choices()

    def __str__(self):
        return self.name


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


class Spot(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="spots")
    number = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["station", "number"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="spot_number_unique")]

    def __str__(self):
        return f"{self.station} #{self.number}"


class VehicleModel(TimeStampedModel):
    """A make of bike or scooter (e.g. "E-Bike V3"), shared by every network."""

    name = models.CharField(max_length=20, unique=True)

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
    decommissioned_at = models.DateTimeField(null=True, blank=True)

    # Vehicles move between clusters and float freely: they are network-level objects.
    scope_network_path = "network"

    class Meta:
        ordering = ["serial_number"]

    def __str__(self):
        return self.serial_number
