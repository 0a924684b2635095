"""Plain-row output helpers (apps.core.api.rows) render as DRF's serializers do."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone as django_timezone
from rest_framework.fields import DateTimeField

from apps.core.api.rows import time_formatter

VALUES = [datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=timezone.utc), datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc),
          datetime(2026, 3, 29, 3, 0, tzinfo=ZoneInfo("Europe/Paris")),
          datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30))), None]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/Sao_Paulo"])
def test_times_render_as_drfs_datetime_field(zone):
    with django_timezone.override(ZoneInfo(zone)):
        time, field = time_formatter(), DateTimeField()
        assert [time(value) for value in VALUES] == [
            field.to_representation(value) if value else None for value in VALUES]
