"""Read-only requests against a real streaming hot standby: every dashboard list, statistic and overview (their
required parameters filled from the demo data) and the GBFS feeds, answered through the replica router
(DATABASE_REPLICA_URL) and again with the replica turned off, after the standby has replayed everything: same
status, same body, no statement refused by the standby (a write routed to it fails there: "cannot execute ... in a
read-only transaction").

    deploy/local-replica.sh start /tmp/replica          # prints the two URLs (compose.yaml's profile, without it)
    DATABASE_URL=postgres://postgres@127.0.0.1:5441/fleetadmin \\
    DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5442/fleetadmin .venv/bin/python bench/replica_check.py
    deploy/local-replica.sh stop /tmp/replica

Migrates the primary and loads the small demo data set when it has no network yet. A login then a list at once
shows that a token issued a moment ago works whatever the standby's lag (tokens are read from the primary).
Exits 1 on any difference.
"""
import json
import os
import secrets
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from apps.core import replica  # noqa: E402

OPERATIONS = Path(__file__).resolve().parents[2] / "shared" / "spec" / "operations.json"
MOVING = {"listAccessLogs"}  # every request adds a row: two answers a moment apart differ by design


def replayed() -> None:
    """Wait until the standby has replayed the primary's WAL up to now."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    for _ in range(500):
        with connections[replica.REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)
    raise SystemExit("the standby did not catch up in 5 s")


def read_requests() -> list[str]:
    """Each GET operation without a path parameter, its required query filled from the demo data (every network, the
    last 30 days, the first network's zone and currency, the heatmap around its first station); those whose
    required parameters name a particular thing (an email, a serial) are left out."""
    from urllib.parse import urlencode

    from django.utils import timezone

    from apps.fleet.models import Cluster
    from apps.networks.models import Network

    network = Network.objects.order_by("id").first()
    cluster = Cluster.objects.filter(network=network).exclude(latitude=None).first()
    now = timezone.now()
    values = {"networks": ",".join(str(pk) for pk in Network.objects.values_list("id", flat=True)),
              "network_id": network.pk, "start_date": (now - timezone.timedelta(days=30)).date().isoformat(),
              "end_date": now.date().isoformat(), "timezone": network.timezone, "currency": network.currency_id,
              "lang": "en", "lat": cluster.latitude, "lng": cluster.longitude, "latDeg": 0.2, "lngDeg": 0.2,
              "date_min": (now - timezone.timedelta(days=30)).isoformat(), "date_max": now.isoformat(), "zoom": 0,
              "without_network": "false"}
    requests = []
    for op in json.loads(OPERATIONS.read_text())["operations"]:
        required = [p["name"] for p in op["params"] if p["required"]]
        if op["method"] == "GET" and "{" not in op["path"] and op["operation_id"] not in MOVING \
                and set(required) <= set(values):
            query = urlencode({name: values[name] for name in required})
            requests.append(f"{op['path']}?{query}" if query else op["path"])
    return requests


def main() -> int:
    if not replica.replica_configured():
        raise SystemExit("set DATABASE_REPLICA_URL (deploy/local-replica.sh start prints it)")
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        if not cursor.fetchone()[0]:
            raise SystemExit("DATABASE_REPLICA_URL is not a standby")
    call_command("migrate", verbosity=0)
    from apps.accounts.models import User
    from apps.networks.models import Network

    if not Network.objects.exists():
        call_command("seed_demo", "--size", "small", verbosity=0)
    password = secrets.token_urlsafe(12)
    email = "replica-check@fleetadmin.local"
    user = User.objects.filter(email=email).first() or User.objects.create_superuser(
        email=email, password=password, firstname="Replica", lastname="Check")
    user.set_password(password)
    user.save()

    statements = Counter()

    def count(alias):
        def wrapper(execute, sql, params, many, context):
            statements[alias] += 1
            return execute(sql, params, many, context)
        return wrapper

    client = Client()
    # No wait for the standby: the token just written must work at once.
    login = client.post("/api/dashboard/v1/auth/login", {"email": email, "password": password},
                        content_type="application/json")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {login.json()['data']['token']}"}
    first = client.get("/api/dashboard/v1/networks", **headers)
    failures = [] if first.status_code == 200 and first.json()["code"] == 0 else \
        [("token at once", first.content[:200])]

    paths = read_requests()
    manifest = client.get("/gbfs/v3/manifest.json")
    paths += ["/gbfs/v3/manifest.json"] + [
        feed for dataset in manifest.json()["data"]["datasets"] for version in dataset["versions"]
        for feed in [version["url"]]][:3]
    configured = replica.replica_configured
    for path in paths:
        replayed()
        with connections["default"].execute_wrapper(count("primary")), \
                connections[replica.REPLICA].execute_wrapper(count("standby")):
            through_standby = client.get(path, **headers)
        replica.replica_configured = lambda: False
        try:
            on_primary = client.get(path, **headers)
        finally:
            replica.replica_configured = configured
        same = (through_standby.status_code, through_standby.content) == (on_primary.status_code, on_primary.content)
        if not same or through_standby.status_code >= 500:
            failures.append((path, through_standby.status_code, on_primary.status_code,
                             through_standby.content[:200]))
    print(f"{len(paths)} read-only requests through the standby: {statements['standby']} statements read there, "
          f"{statements['primary']} on the primary (tokens, grants, the access log); "
          f"{len(failures)} differing or failing")
    for failure in failures:
        print("  ", *failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
