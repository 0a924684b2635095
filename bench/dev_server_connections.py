"""How many PostgreSQL connections a server leaves open under concurrent clients (issue 19).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/dev_server_connections.py \
        [runserver|gunicorn] [clients] [requests per client]

Starts the server on a free port against DATABASE_URL (migrated first), sends the requests from `clients` threads
to an endpoint that reads the database, and counts the connections to that database that are still open afterwards
(pg_stat_activity), then stops the server.
"""
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_connections(url: str) -> int:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                            (name,)).fetchone()[0]


def main() -> None:
    server = sys.argv[1] if len(sys.argv) > 1 else "runserver"
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    per_client = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    url = os.environ["DATABASE_URL"]
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    command = {"runserver": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
               "gunicorn": [PYTHON, "-m", "gunicorn", "fleetadmin.wsgi", "--bind", f"127.0.0.1:{port}",
                            "--workers", "2"]}[server]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        endpoint = f"http://127.0.0.1:{port}/api/dashboard/v1/app-labels"
        for _ in range(100):
            try:
                urlopen(endpoint, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        baseline = open_connections(url)

        def hammer(_):
            for _ in range(per_client):
                urlopen(endpoint, timeout=10).read()

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(hammer, range(clients)))
        elapsed = time.perf_counter() - started
        time.sleep(1)
        print(f"{server}: {clients} clients x {per_client} requests in {elapsed:.1f} s; "
              f"connections open before: {baseline}, after: {open_connections(url)}")
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
