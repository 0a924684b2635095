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
