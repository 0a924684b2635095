"""Writes on geofencing areas (one transaction each; shapes arrive validated by apps.core.geo.ShapeField)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation
from apps.fleet.models import Cluster

from .models import BorderSettings, NetworkBorder, SpeedZone, VirtualParking


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


@transaction.atomic
def border_set_shape(*, network, shape) -> NetworkBorder:
    border = NetworkBorder.objects.select_for_update().filter(network=network).first() or NetworkBorder(network=network)
    border.set_shape(shape)
    border.save()
    return border


@transaction.atomic
def border_update_settings(*, network, trigger_alert: bool, notify_user: bool, reduce_vehicle_speed: bool,
                           play_vehicle_sound: bool, lock_vehicle: bool) -> BorderSettings:
    settings, _ = BorderSettings.objects.select_for_update().get_or_create(network=network)
    settings.trigger_alert, settings.notify_user, settings.reduce_vehicle_speed = (
        trigger_alert, notify_user, reduce_vehicle_speed)
    settings.play_vehicle_sound, settings.lock_vehicle = play_vehicle_sound, lock_vehicle
    settings.save()
    return settings


def speed_zone_create(*, network, shape, max_speed: int) -> SpeedZone:
    zone = SpeedZone(network=network, max_speed=max_speed)
    zone.set_shape(shape)
    zone.save()
    return zone


@transaction.atomic
def speed_zone_update(*, zone: SpeedZone, shape=None, max_speed: int | None = None) -> SpeedZone:
    zone = SpeedZone.objects.select_for_update().get(pk=zone.pk)
    if shape is not None:
        zone.set_shape(shape)
    if max_speed is not None:
        zone.max_speed = max_speed
    zone.save()
    return zone


def speed_zone_delete(*, zone: SpeedZone) -> None:
    zone.deleted_at = timezone.now()
    zone.save(update_fields=["deleted_at", "updated_at"])
