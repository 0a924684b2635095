"""Database connections per server (issue 19): persistent under gunicorn and Celery, closed after each request
under Django's development server (one thread per request: a persistent connection there is never reused)."""
import json
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, os, sys
sys.argv = {argv!r}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps([db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]]))
"""


def _settings_under(argv) -> list:
    out = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, check=True,
                         cwd=settings.BASE_DIR)
    return json.loads(out.stdout)


def test_the_development_server_closes_its_connections_and_workers_keep_theirs():
    assert _settings_under(["manage.py", "runserver", "127.0.0.1:8000"]) == [0, True]
    max_age, health_checks = _settings_under(["gunicorn", "fleetadmin.wsgi"])
    assert max_age > 0 and health_checks


def test_timestamps_are_read_by_psycopgs_compiled_loader_as_django_wants_them(db):
    """apps.core.dbtypes: the same aware UTC datetimes as Django's own loader, parsed in C."""
    from datetime import datetime, timezone

    from django.db import connection
    from psycopg.types.datetime import TimestamptzLoader as PythonLoader

    from apps.core.dbtypes import TIMESTAMPTZ_OID

    with connection.cursor() as cursor:
        cursor.execute("SELECT '2026-03-29 01:30:00.5+02'::timestamptz, ARRAY['2026-01-01 00:00+05:30'::timestamptz]")
        value, values = cursor.fetchone()
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, 0)
    assert value == datetime(2026, 3, 28, 23, 30, 0, 500000, tzinfo=timezone.utc) and value.tzinfo is timezone.utc
    assert values == [datetime(2025, 12, 31, 18, 30, tzinfo=timezone.utc)] and values[0].tzinfo is timezone.utc
    # Django's cursors keep the connection's loader (no per-cursor copy of the adapters), which is not the Python one.
    assert loader.timezone is connection.timezone and not issubclass(loader, PythonLoader)
    assert type(loader(TIMESTAMPTZ_OID)._load.__self__).__module__.startswith("psycopg_binary")


def test_a_wsgi_worker_freezes_what_it_loaded_out_of_the_collectors_reach():
    """fleetadmin.wsgi (what gunicorn loads) ends with gc.freeze(): Django and the apps are not walked by every full
    collection a request sets off."""
    probe = ("import gc, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fleetadmin.settings'); "
             "before = gc.get_freeze_count(); import fleetadmin.wsgi; print(before, gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=settings.BASE_DIR)
    before, after = map(int, out.stdout.split())
    assert before == 0 and after > 10_000, out.stdout


def test_a_wsgi_worker_freezes_what_its_first_requests_keep_once_their_answers_are_sent():
    """apps.core.collector through fleetadmin.wsgi: after the worker's 1st, 10th, 100th, 1,000th and 10,000th
    request (the request_finished signal, sent when the server closes the response) the garbage is collected and
    what is left is frozen; on no other request."""
    # gc.freeze() recorded rather than counted after each request: get_freeze_count() walks every frozen object.
    probe = ("import gc, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fleetadmin.settings'); "
             "import fleetadmin.wsgi; from django.core.signals import request_finished; frozen = []\n"
             "gc.freeze = lambda: frozen.append(n)\n"
             "for n in range(1, 10_002):\n"
             "    request_finished.send(sender=None)\n"
             "print(frozen)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=settings.BASE_DIR)
    assert out.stdout.strip() == "[1, 10, 100, 1000, 10000]", out.stdout


def test_binary_results_read_the_same_rows_through_djangos_cursor(db, django_assert_num_queries):
    """apps.core.dbtypes.binary_results: bytea arrives as bytes (not hex text), every other type as the text format
    gives it to Django (jsonb as text, which JSONField parses; dates; times in UTC; arrays); the query is still
    Django's (counted, logged), never a prepared statement, and the connection's cursors are text again after."""
    from datetime import date, datetime, timezone

    import numpy as np
    from django.db import connection

    from apps.core.dbtypes import BinaryResultsCursor, binary_results
    from apps.networks.tests.factories import make_network
    from apps.trips.models import TripDay

    network = make_network()
    written = TripDay.objects.create(network=network, day=date(2026, 3, 1), timezone=network.timezone, trip_count=3,
                                     riders=np.array([4, 9, 2**40]), hours=list(range(24)),
                                     filter_counts={"finished": 3, "demo": 0, "note": "é\u2028"},
                                     first_ended_at=datetime(2026, 3, 1, 8, 30, 0, 5, tzinfo=timezone.utc))
    text = TripDay.objects.get(pk=written.pk)
    threshold = connection.connection.prepare_threshold  # None: Django turns psycopg's preparing off by default
    connection.connection.prepare_threshold = 1  # as OPTIONS["prepare_threshold"] would: prepared once seen
    try:
        with django_assert_num_queries(3):
            for _ in range(3):
                with binary_results(connection.alias):
                    binary = TripDay.objects.get(pk=written.pk)
                    assert isinstance(connection.connection.cursor(), BinaryResultsCursor)
    finally:
        connection.connection.prepare_threshold = threshold
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0
    assert not isinstance(connection.connection.cursor(), BinaryResultsCursor)
    for field in ("day", "trip_count", "hours", "filter_counts", "first_ended_at", "computed_at", "network_id"):
        assert getattr(binary, field) == getattr(text, field), field
    assert binary.riders.tolist() == text.riders.tolist() == [4, 9, 2**40]
    assert binary.first_ended_at.tzinfo is not None and binary.filter_counts["note"] == "é\u2028"


def test_connections_run_without_jit_unless_asked(db):
    """The project's connections start with JIT off (a startup option), so no statement pays for compiling itself;
    DATABASE_JIT=on leaves the server's setting (behind PgBouncer, which refuses the option)."""
    import os

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    probe = ("import os, json; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fleetadmin.settings'); "
             "from django.conf import settings; print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))")
    for value, expected in (("on", {}), ("off", {"options": "-c jit=off"})):
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                             cwd=settings.BASE_DIR, env={**os.environ, "DATABASE_JIT": value})
        assert json.loads(out.stdout) == expected, value
    # Options the URL gives are kept, JIT's appended.
    url = "postgres://postgres@127.0.0.1:5432/fleetadmin?options=-c%20search_path%3Dpublic"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=settings.BASE_DIR, env={**os.environ, "DATABASE_JIT": "off", "DATABASE_URL": url})
    assert json.loads(out.stdout) == {"options": "-c search_path=public -c jit=off"}
