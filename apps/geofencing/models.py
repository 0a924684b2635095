"""Areas drawn on a network's map: virtual parkings (attached to a cluster or standalone)."""
from django.db import models

from apps.core.geo import ShapedModel
from apps.core.models import TimeStampedModel


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
