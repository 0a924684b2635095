"""A payment written into an hour already stored (backdated), or refunded later, recomputes that hour (apps.payments
.rollups) in the same transaction: the stored income is always exact."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import rollups
from .models import Transaction


@receiver(post_save, sender=Transaction)
def refresh_stored_hour(sender, instance: Transaction, raw: bool = False, **kwargs):
    if not raw:
        rollups.refresh_hour(instance.network_id, instance.date)
