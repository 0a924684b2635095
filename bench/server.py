"""Benchmarks through gunicorn, as production serves the API: the server, a staff member's login, a keep-alive client,
and the CPU the workers and PostgreSQL spend (Linux /proc). Loopback only."""
import gc
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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


@contextmanager
def production_server(*, workers: int, port: int, env: dict | None = None):
    """gunicorn on 127.0.0.1:`port` with the production settings (`FLEETADMIN_PRODUCTION=1`, DEBUG off, persistent
    connections, the shared Redis cache) and `workers` sync workers; yields (base URL, the master's pid)."""
    server_env = {**os.environ, "FLEETADMIN_PRODUCTION": "1", "DJANGO_DEBUG": "0",
                  "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", secrets.token_urlsafe(40)),
                  "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "LOGIN_FAILURE_LIMIT": "1000", **(env or {})}
    server_env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")  # the shared cache production runs with
    # Emptied first: the grants the bench just wrote were not announced to it (this process has no Redis cache).
    import redis
    redis.Redis.from_url(server_env["REDIS_URL"]).flushdb()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "fleetadmin.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(workers), "--log-level", "warning"], cwd=ROOT, env=server_env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/gbfs/v3/manifest.json")
        yield base, server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def staff_member(email: str, networks, *, keys: tuple[str, ...] = ("trips", "dashboard.access"),
                 superuser: bool = False):
    """A user who logs in with PASSWORD: a superuser, or a staff member granted `keys` on exactly `networks` (what an
    operator's staff is: its rights resolved on every request, as in production)."""
    from django.utils import timezone

    from apps.access.models import AccessGrant, OrganizationalUnit
    from apps.accounts.models import User

    user, _ = User.objects.get_or_create(email=email, defaults={"is_staff": True})
    user.set_password(PASSWORD)
    user.is_superuser = superuser
    user.save()
    if not superuser:
        AccessGrant.objects.filter(user=user).delete()
        unit, _ = OrganizationalUnit.objects.get_or_create(name=f"Bench {email}")
        unit.networks.set(networks)
        for key in keys:
            AccessGrant.objects.create(user=user, organizational_unit=unit, permission_key=key,
                                       start_date=timezone.now() - timedelta(days=1))
    return user


def login(base: str, email: str) -> str:
    request = urllib.request.Request(f"{base}/api/dashboard/v1/auth/login", method="POST",
                                     data=json.dumps({"email": email, "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))["data"]["token"]


class Client:
    """GETs over one keep-alive connection, as a browser's: each answer with its time in ms and its size on the
    wire."""

    def __init__(self, base: str, token: str, *, gzip: bool = False):
        self.host = urllib.parse.urlsplit(base).netloc
        self.headers = {"Authorization": f"Bearer {token}", **({"Accept-Encoding": "gzip"} if gzip else {})}
        self.connection = http.client.HTTPConnection(self.host, timeout=120)

    def get(self, path: str, params: dict | None = None) -> tuple[int, bytes, float, dict]:
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        # The client's own collector stays out of the timed span (as timeit does): this process holds Django and the
        # bench's results, and a full collection set off by reading an answer takes ~90 ms here (161,000 objects).
        gc.disable()
        try:
            started = time.perf_counter()
            try:
                self.connection.request("GET", url, headers=self.headers)
                response = self.connection.getresponse()
            except (http.client.HTTPException, OSError):  # the server closed an idle connection: once more
                self.connection = http.client.HTTPConnection(self.host, timeout=120)
                self.connection.request("GET", url, headers=self.headers)
                response = self.connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            gc.enable()
        return response.status, body, elapsed, dict(response.getheaders())

    def json(self, path: str, params: dict | None = None) -> dict:
        status, body, _ms, headers = self.get(path, params)
        if headers.get("Content-Encoding") == "gzip":
            import gzip
            body = gzip.decompress(body)
        answer = json.loads(body)
        assert status == 200 and answer["code"] == 0, (path, params, status, body[:300])
        return answer


def cpu_seconds(master: int) -> dict[str, dict[int, float]]:
    """User + system CPU seconds used so far by gunicorn's workers and by every PostgreSQL process (their backends
    serve the workers), by pid."""
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
