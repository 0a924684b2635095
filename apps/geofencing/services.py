"""Writes on virtual parkings (one transaction each; shapes arrive validated by apps.core.geo.ShapeField)."""
from __future__ import annotations

from django.db import transaction

from apps.core.api.errors import BusinessRuleViolation
from apps.fleet.models import Cluster

from .models import VirtualParking


@transaction.atomic
def parking_create(*, network, shape, capacity: int, cluster: Cluster | None = None) -> VirtualParking:
    if cluster is not None:
        cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
        if cluster.decommissioned_at is not None:
            raise BusinessRuleViolation("cluster.decommissioned", "This cluster is decommissioned.")
        network = cluster.network
    parking = VirtualParking(network=network, cluster=cluster, capacity=capacity)
    parking.set_shape(shape)
    parking.save()
    return parking


@transaction.atomic
def parking_update(*, parking: VirtualParking, shape, capacity: int) -> VirtualParking:
    parking = VirtualParking.objects.select_for_update().get(pk=parking.pk)
    parking.set_shape(shape)
    parking.capacity = capacity
    parking.save()
    return parking


def parking_delete(*, parking: VirtualParking) -> None:
    parking.delete()
