"""The telemetry's history: `telemetry_message`, partitioned by UTC day of `recorded_at` (apps.core.partitions), kept
TELEMETRY_RETENTION_DAYS days (whole days dropped by the nightly beat, never row by row)."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from apps.core.partitions import RangePartitions

from .models import TelemetryMessage

MESSAGES = RangePartitions(table=TelemetryMessage._meta.db_table, column="recorded_at", lock=7103, period="day",
                           ahead=3)


def keep_history() -> dict:
    """The nightly upkeep: the coming days' partitions made ahead, the days past the retention dropped (idempotent)."""
    created = MESSAGES.ensure()
    dropped = MESSAGES.drop_before(timezone.now() - timedelta(days=settings.TELEMETRY_RETENTION_DAYS))
    return {"created": len(created), "dropped_rows": dropped}
