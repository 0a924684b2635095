"""Rebalancing the fleet through riders: donor clusters (too many vehicles) and receiver clusters (too few), and
the discount a rider earns for a trip from a donor to a receiver."""
from django.core.validators import MinValueValidator
from django.db import models

from apps.core.models import TimeStampedModel, non_negative


class ClusterBalancing(TimeStampedModel):
    class Type(models.TextChoices):
        DONOR = "donor"
        RECEIVER = "receiver"

    cluster = models.OneToOneField("fleet.Cluster", on_delete=models.CASCADE, related_name="balancing")
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+",
                                help_text="The cluster's network, kept here so a network's list is one index scan.")
    balancing_type = models.CharField(max_length=10, choices=Type.choices)
    target_count = models.PositiveIntegerField(help_text="Vehicles wanted: donors above it give, receivers below take.")

    scope_network_path = "network"
    scope_cluster_path = "cluster"

    class Meta:
        ordering = ["balancing_type", "cluster__name"]

    def __str__(self):
        return f"{self.cluster} ({self.balancing_type}, target {self.target_count})"


class BalancingDiscount(TimeStampedModel):
    """The discount (network currency) on a trip from `donor` to `receiver`."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    donor = models.ForeignKey(ClusterBalancing, on_delete=models.CASCADE, related_name="discounts_as_donor")
    receiver = models.ForeignKey(ClusterBalancing, on_delete=models.CASCADE, related_name="discounts_as_receiver")
    discount_amount = models.DecimalField(max_digits=12, decimal_places=4, validators=[MinValueValidator(0)])

    scope_network_path = "network"
    # A route names two clusters: a grant limited to clusters sees it only when it holds both.
    scope_cluster_path = ("donor__cluster", "receiver__cluster")

    class Meta:
        ordering = ["donor__cluster__name", "receiver__cluster__name"]
        constraints = [models.UniqueConstraint(fields=["donor", "receiver"], name="one_discount_per_route"),
                       *non_negative("balancing_discount", "discount_amount")]

    def __str__(self):
        return f"{self.donor.cluster} -> {self.receiver.cluster}: {self.discount_amount}"
