"""Throughput of listTrips (page 50, or `--page-size`) through gunicorn, as production serves it, on loopback only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/throughput.py

Needs bench/trips.py's 1M-trip network and `wrk` (apt install wrk). Starts gunicorn on 127.0.0.1 with the
production settings (`FLEETADMIN_PRODUCTION=1`, DEBUG off, persistent connections, the shared Redis cache) and
`--workers` sync workers (cores + 1 by default, as docs/deployment.md recommends; bench/server.py),
logs a staff member in through the API for a bearer token, then runs wrk for `--seconds` at each concurrency and
prints requests per second and latency percentiles. Bounded (seconds x concurrencies), never leaves loopback.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from apps.networks.models import Network  # noqa: E402
from bench.server import cpu_between, cpu_seconds, login, production_server, staff_member  # noqa: E402
from bench.trips import NETWORK  # noqa: E402


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
    user = staff_member("throughput@fleetadmin.local", [network])
    env = {"GRANTS_CACHE_SECONDS": args.grants_cache_seconds} if args.grants_cache_seconds is not None else {}
    with production_server(workers=args.workers, port=args.port, env=env) as (base, master):
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
            before = cpu_seconds(master)
            out = subprocess.run(["wrk", "-t", str(min(concurrency, 4)), "-c", str(concurrency), "-d",
                                  f"{args.seconds}s", "--latency", "-H", f"Authorization: Bearer {token}", url],
                                 capture_output=True, text=True, check=True).stdout
            after = cpu_seconds(master)
            workers_cpu, database_cpu = cpu_between(before, after, "workers"), cpu_between(before, after, "postgres")
            requests = int(re.search(r"(\d+) requests in", out).group(1))
            rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
            latency = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", out))
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            cpu = f"{workers_cpu / requests * 1000:.2f} + {database_cpu / requests * 1000:.2f}"
            print(f"{concurrency:>11} {rate:>8.1f} {latency.get('50', '?'):>8} {latency.get('90', '?'):>8} "
                  f"{latency.get('99', '?'):>8} {errors.group(1) if errors else 0:>7} {cpu:>34}")


if __name__ == "__main__":
    main()
