"""Throughput of listTrips (page 50, or `--page-size`) through gunicorn, as production serves it, on loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/throughput.py

Needs bench/trips.py's 1M-trip network and `wrk` (apt install wrk). Starts gunicorn on 127.0.0.1 with the
production settings (`FLEETADMIN_PRODUCTION=1`, DEBUG off, persistent connections, the shared Redis cache) and
`--workers` sync workers (cores + 1 by default, as docs/deployment.md recommends),
logs a staff member in through the API for a bearer token, then runs wrk for `--seconds` at each concurrency and
prints requests per second and latency percentiles. Bounded (seconds x concurrencies), never leaves loopback.
"""
import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from apps.access.models import AccessGrant, OrganizationalUnit  # noqa: E402
from apps.accounts.models import User  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from bench.trips import NETWORK  # noqa: E402

PASSWORD = "bench-throughput-password"


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def cpu_seconds(master: int) -> dict[str, dict[int, float]]:
    """User + system CPU seconds used so far by gunicorn's workers and by every PostgreSQL process (their backends
    serve the workers), by pid (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used: dict[str, dict[int, float]] = {"workers": {}, "postgres": {}}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                name, rest = stat.read().split(" (", 1)[1].rsplit(")", 1)
        except OSError:
            continue  # gone meanwhile
        fields = rest.split()
        kind = "workers" if fields[1] == str(master) else "postgres" if name.startswith("postgres") else None
        if kind:
            used[kind][int(pid)] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


def cpu_between(before: dict, after: dict, kind: str) -> float:
    return sum(seconds - before[kind].get(pid, 0.0) for pid, seconds in after[kind].items())


def login(base: str, email: str) -> str:
    request = urllib.request.Request(f"{base}/api/dashboard/v1/auth/login", method="POST",
                                     data=json.dumps({"email": email, "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))["data"]["token"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=os.cpu_count() + 1)  # docs/deployment.md: cores + 1
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    # --page-size 500 --concurrency 1: the latency of one request at a time, as production serves it, to set beside
    # the raw SQL bench/trips.py prints for page 500.
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--grants-cache-seconds", default=None, help="GRANTS_CACHE_SECONDS for the server")
    args = parser.parse_args()
    network = Network.objects.get(name=NETWORK)
    # A staff member granted `trips` on the network (what an operator's staff is), not a superuser: its rights are
    # resolved on every request, as in production.
    user, _ = User.objects.get_or_create(email="throughput@fleetadmin.local", defaults={"is_staff": True})
    user.set_password(PASSWORD)
    user.is_superuser = False
    user.save()
    if not AccessGrant.objects.filter(user=user, permission_key="trips").exists():
        unit = OrganizationalUnit.objects.create(name="Throughput bench")
        unit.networks.set([network])
        AccessGrant.objects.create(user=user, organizational_unit=unit, permission_key="trips",
                                   start_date=timezone.now() - timedelta(days=1))
    base = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "FLEETADMIN_PRODUCTION": "1", "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", secrets.token_urlsafe(40)),
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "LOGIN_FAILURE_LIMIT": "1000"}
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")  # the shared cache production runs with
    if args.grants_cache_seconds is not None:
        env["GRANTS_CACHE_SECONDS"] = args.grants_cache_seconds
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "fleetadmin.wsgi", "--bind", f"127.0.0.1:{args.port}",
                               "--workers", str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        wait_until_up(f"{base}/gbfs/v3/manifest.json")
        token = login(base, user.email)
        url = f"{base}/api/dashboard/v1/trips?networks={network.pk}&page_size={args.page_size}"
        print(f"gunicorn: {args.workers} sync workers; listTrips page {args.page_size} of a 1M-trip network as a staff "
              f"member granted trips on it; GRANTS_CACHE_SECONDS={env.get('GRANTS_CACHE_SECONDS', 'default')}; "
              f"{args.seconds} s each")
        # CPU per request (the workers' and PostgreSQL's) drifts less than requests per second on a shared machine
        # whose speed changes from one minute to the next: it compares two versions of the code run minutes apart.
        print(f"{'concurrency':>11} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>7} "
              f"{'CPU ms/req (workers + PostgreSQL)':>34}")
        for concurrency in args.concurrency:
            before = cpu_seconds(server.pid)
            out = subprocess.run(["wrk", "-t", str(min(concurrency, 4)), "-c", str(concurrency), "-d",
                                  f"{args.seconds}s", "--latency", "-H", f"Authorization: Bearer {token}", url],
                                 capture_output=True, text=True, check=True).stdout
            after = cpu_seconds(server.pid)
            workers_cpu, database_cpu = cpu_between(before, after, "workers"), cpu_between(before, after, "postgres")
            requests = int(re.search(r"(\d+) requests in", out).group(1))
            rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
            latency = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", out))
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            cpu = f"{workers_cpu / requests * 1000:.2f} + {database_cpu / requests * 1000:.2f}"
            print(f"{concurrency:>11} {rate:>8.1f} {latency.get('50', '?'):>8} {latency.get('90', '?'):>8} "
                  f"{latency.get('99', '?'):>8} {errors.group(1) if errors else 0:>7} {cpu:>34}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
