"""The access log as monthly partitions: requests land in their month's partition, coming months are created ahead,
a month created late takes back the rows its default partition caught, retention drops whole months."""
from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest
from django.db import connection
from django.utils import timezone

from apps.audit import partitions
from apps.audit.models import AccessLog
from apps.audit.retention import prune_access_logs
from apps.audit.tasks import prune_old_access_logs


def _where(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {partitions.TABLE} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _log(at: datetime) -> AccessLog:
    return AccessLog.objects.create(date=at, target_path="/api/dashboard/v1/trips", verb="GET", http_code=200,
                                    duration_ms=3)


def test_a_request_is_logged_in_its_months_partition(admin_client):
    with connection.cursor() as cursor:
        cursor.execute("SELECT partstrat FROM pg_partitioned_table WHERE partrelid = %s::regclass", [partitions.TABLE])
        assert cursor.fetchone() == ("r",)  # by range (of date)
    admin_client.get("/api/dashboard/v1/access-logs")
    row = AccessLog.objects.latest("id")
    assert _where(row.pk) == partitions.partition_name(timezone.now().date().replace(day=1))
    this_month = partitions.month_start(timezone.now().date())
    coming = [partitions.partition_name(this_month)]
    for _ in range(partitions.MONTHS_AHEAD):
        this_month = partitions.next_month(this_month)
        coming.append(partitions.partition_name(this_month))
    assert set(coming) <= set(partitions.monthly_partitions())  # made ahead by the migration and the beat


def test_a_month_created_late_takes_the_rows_the_default_partition_caught(db):
    month = date(2025, 3, 1)
    caught = [_log(datetime(2025, 3, day, 12, tzinfo=dt_timezone.utc)) for day in (1, 31)]
    other = _log(datetime(2025, 4, 1, tzinfo=dt_timezone.utc))
    assert {_where(row.pk) for row in caught + [other]} == {partitions.DEFAULT}
    assert partitions.partition_name(month) in partitions.ensure_partitions(first=month)
    assert {_where(row.pk) for row in caught} == {"audit_accesslog_p202503"}
    assert _where(other.pk) == "audit_accesslog_p202504"  # its month was created by the same call
    assert partitions.ensure_partitions(first=month) == []  # idempotent
    assert AccessLog.objects.filter(pk__in=[row.pk for row in caught]).count() == 2
    new = _log(datetime(2025, 3, 15, tzinfo=dt_timezone.utc))
    assert new.pk > other.pk and _where(new.pk) == "audit_accesslog_p202503"  # one sequence for all partitions


def test_retention_drops_whole_months_and_deletes_the_rest_row_by_row(db, settings):
    now = timezone.now()
    settings.ACCESS_LOG_RETENTION_DAYS = 180
    old_month = partitions.month_start((now - timedelta(days=250)).date())
    partitions.ensure_partitions(first=old_month)
    gone = [_log(datetime(old_month.year, old_month.month, 2, tzinfo=dt_timezone.utc)) for _ in range(3)]
    edge = [_log(now - timedelta(days=181)), _log(now - timedelta(days=179))]  # the oldest kept month's
    assert partitions.partition_name(old_month) in partitions.monthly_partitions()
    assert prune_old_access_logs() == 4
    assert partitions.partition_name(old_month) not in partitions.monthly_partitions()  # dropped, not emptied
    assert list(AccessLog.objects.filter(pk__in=[row.pk for row in gone + edge])) == [edge[1]]
    assert prune_access_logs() == 0


@pytest.mark.parametrize("months_ahead", [0, 3])
def test_coming_months_are_created_ahead(db, months_ahead):
    last = partitions.month_start(timezone.now().date())
    for _ in range(months_ahead):
        last = partitions.next_month(last)
    partitions.ensure_partitions(months_ahead=months_ahead)
    assert partitions.partition_name(last) in partitions.monthly_partitions()
