"""How long access log rows are kept: rows older than ACCESS_LOG_RETENTION_DAYS go, by the beat every night or by
`./fleet manage prune_access_logs`: whole months by dropping their partitions (apps.audit.partitions), the rest
of the oldest kept month (and the default partition's) deleted in batches of ids (short transactions, no long
lock)."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import AccessLog
from .partitions import drop_partitions_before

BATCH = 10_000


def prune_access_logs(days: int | None = None) -> int:
    """Delete the rows older than `days` (default: the setting; 0 keeps everything); how many were deleted.
    Idempotent: a second run finds nothing to delete."""
    days = settings.ACCESS_LOG_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    deleted = drop_partitions_before(cutoff)
    older = AccessLog.objects.filter(date__lt=cutoff)
    while True:
        ids = list(older.order_by("id").values_list("id", flat=True)[:BATCH])
        if not ids:
            return deleted
        deleted += older.filter(id__in=ids).delete()[0]
