"""What every benchmark shares: timing a request through the whole HTTP stack."""
import gc
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def timed_get(client, url: str, repeat: int, *, params=None, ok=(200,), before=None, **headers):
    """Median and p95 in ms of `repeat` GETs, the query count of one and the last response (whose status must be
    in `ok`); `before()` runs ahead of each request, outside the timing (clearing a cache, say)."""
    durations, queries, response = [], 0, None
    for _ in range(repeat):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params or {}, **headers)
            durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code in ok, (url, response.status_code, response.content[:300])
        queries = len(ctx)
    durations.sort()
    return statistics.median(durations), durations[max(int(len(durations) * 0.95) - 1, 0)], queries, response


def timed(client, url: str, params: dict, repeat: int) -> tuple[float, float, int]:
    """timed_get of a dashboard API operation: every answer must be a success of the envelope."""
    median, p95, queries, response = timed_get(client, url, repeat, params=params)
    assert response.json()["code"] == 0, response.content[:300]
    return median, p95, queries


def sql_median(sql: str, params, repeat: int) -> float:
    """Median in ms of `repeat` runs of `sql` (fetching every row), straight on the connection."""
    durations = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)


def network_with_members(*, name: str, label: str, riders: int, email_domain: str):
    """A network of `label` whose `riders` members (reader-N@`email_domain`) are inserted in one statement."""
    from apps.accounts.models import User
    from apps.applabels.models import AppLabel
    from apps.networks.models import Network
    from apps.reference.models import Country, Currency
    from apps.riders.models import NetworkMembership

    app_label, _ = AppLabel.objects.get_or_create(name=label, defaults={"display_name": label.title()})
    network = Network.objects.create(name=name, default_vat="0.2", country=Country.objects.get(alpha_2="FR"),
                                     currency=Currency.objects.get(code="EUR"), default_vehicle_guarantee=150,
                                     trip_to_skip_pre_auth_guarantee=0, timezone="Europe/Paris", app_label=app_label)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH new AS (
                INSERT INTO {User._meta.db_table} (password, is_superuser, email, firstname, lastname, phone_number,
                                                   is_staff, is_active, register_at)
                SELECT '!', false, 'reader-' || g || '@' || %s, 'Reader', 'R' || g, '', false, true, now()
                FROM generate_series(1, %s) g RETURNING id)
            INSERT INTO {NetworkMembership._meta.db_table} (rider_id, network_id, first_activity_at, last_activity_at,
                                                            trip_count, created_at, updated_at)
            SELECT id, %s, now(), now(), 0, now(), now() FROM new""", [email_domain, riders, network.pk])
    return network


def as_a_worker() -> None:
    """What fleetadmin.wsgi does once loaded, so that an in-process bench collects garbage as a gunicorn worker does:
    everything loaded so far frozen out of the collector's reach."""
    gc.freeze()
