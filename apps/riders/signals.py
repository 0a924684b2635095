"""A trip makes its rider a member of the trip's network (apps.riders.services.record_activity)."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.trips.models import Trip

from .services import record_activity


@receiver(post_save, sender=Trip)
def rider_rode_in_network(sender, instance: Trip, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        record_activity(rider_id=instance.rider_id, network_id=instance.network_id, at=instance.started_at, trips=1)
