from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ValidationFailed, on_constraint

from .models import AppReport, AppVersion

on_constraint(lambda: ValidationFailed.on("minimal", "The minimal version cannot be above the current one."),
              name="minimal_not_above_current")


@transaction.atomic
def app_reports_resolve(*, reports: list[AppReport], actor) -> int:
    """Resolve the reports not resolved yet (resolving twice is harmless); returns how many changed."""
    now = timezone.now()
    return (AppReport.objects.filter(pk__in=[r.pk for r in reports], resolved_at__isnull=True)
            .update(resolved_at=now, resolved_by=actor, updated_at=now))


@transaction.atomic
def app_version_set(*, app_label, platform: str, current: int, minimal: int) -> AppVersion:
    if minimal > current:
        raise ValidationFailed.on("minimal", "The minimal version cannot be above the current one.")
    version, _ = AppVersion.objects.select_for_update().update_or_create(
        app_label=app_label, platform=platform, defaults={"current": current, "minimal": minimal})
    return version
