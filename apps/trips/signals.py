"""A trip written on a stored day (see apps.trips.rollups) drops that day's summary and has it recomputed once
the write commits. Only writes that change what the statistics read count: pricing a trip again does not.

A trip also makes its rider a member of the trip's network (apps.riders.services.record_activity)."""
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from apps.riders.services import record_activity

from . import rollups
from .models import Trip
from .tasks import refresh_trip_days

READ_BY_STATISTICS = ("network_id", "rider_id", "vehicle_id", "start_cluster_id", "end_cluster_id", "state",
                      "started_at", "distance", "duration", "payment_mode", "start_latitude", "start_longitude")


def _snapshot(trip: Trip) -> tuple:
    return tuple(trip.__dict__.get(name) for name in READ_BY_STATISTICS)


def _forget(network_id, started_at) -> None:
    days = rollups.forget(network_id, started_at)
    if days:
        transaction.on_commit(lambda: refresh_trip_days.delay(network_id, [day.isoformat() for day in days]))


@receiver(post_init, sender=Trip)
def remember_statistics_fields(sender, instance: Trip, **kwargs):
    instance._statistics_snapshot = _snapshot(instance)


@receiver(post_save, sender=Trip)
def forget_day_of_saved_trip(sender, instance: Trip, created: bool, **kwargs):
    before, after = instance._statistics_snapshot, _snapshot(instance)
    if created or before != after:
        _forget(instance.network_id, instance.started_at)
        moved = dict(zip(READ_BY_STATISTICS, before))
        if not created and (moved["network_id"], moved["started_at"]) != (instance.network_id, instance.started_at):
            _forget(moved["network_id"], moved["started_at"])
    instance._statistics_snapshot = after


@receiver(post_delete, sender=Trip)
def forget_day_of_deleted_trip(sender, instance: Trip, **kwargs):
    _forget(instance.network_id, instance.started_at)


@receiver(post_save, sender=Trip)
def rider_rode_in_network(sender, instance: Trip, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        record_activity(rider_id=instance.rider_id, network_id=instance.network_id, at=instance.started_at, trips=1)
