"""Benchmark the admin's big pages at 1,000,000 trips: the trips change list (first page, filtered pages, searches),
the dashboard, and a CSV export of every trip (time and peak memory).

    createdb -h 127.0.0.1 -U postgres fleetadmin_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench ./fleet manage migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/admin.py

Seeds (or reuses) bench/trips.py's network of 1,000,000 trips, then times each page through the whole Django stack
(middlewares, session, admin, templates) as a logged-in superuser and prints the median and p95 in ms and the query
count of one request. The export is read chunk by chunk as a client would; its peak memory is the growth of the
process's resident set (ru_maxrss) while it runs.
"""
import argparse
import os
import resource
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.trips.models import Trip  # noqa: E402
from bench.harness import timed_get  # noqa: E402
from bench.trips import NETWORK, seed  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trips", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    settings.DEBUG = False
    network = Network.objects.filter(name=NETWORK).first()
    if network is None:
        started = time.perf_counter()
        network = seed(args.trips, 50_000, 2_000, 300)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Trip._meta.db_table}")
        print(f"seeded {args.trips:,} trips in {time.perf_counter() - started:.1f} s")
    admin, _ = User.objects.get_or_create(email="bench@fleetadmin.local",
                                          defaults={"is_superuser": True, "is_staff": True})
    client = Client()
    client.force_login(admin)
    n = network.pk
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    some_trip = Trip.objects.filter(network=network).order_by("-id").values_list("id", flat=True)[5000]
    trips = "/admin/trips/trip/"
    cases = {
        "dashboard (admin index)": f"/admin/?network={n}",
        "trips: first page": trips,
        "trips: network filter": f"{trips}?network__id__exact={n}",
        "trips: state=cancelled": f"{trips}?state__exact=cancelled",
        "trips: network + past 7 days": f"{trips}?network__id__exact={n}&started_at__gte={week_ago}",
        "trips: payment mode=free, sorted by duration": f"{trips}?payment_mode__exact=free&o=6",
        "trips: search by id": f"{trips}?q={some_trip}",
        "trips: search by rider e-mail": f"{trips}?q=bench-4242@riders.bench",
        "trip page (events, details, costs)": f"{trips}{some_trip}/change/",
    }
    print(f"{Trip.objects.count():,} trips in the table")
    print(f"{'page':48} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in cases.items():
        median, p95, queries, _response = timed_get(client, url, args.repeat)
        print(f"{name:48} {median:10.1f} {p95:8.1f} {queries:8}")

    if not args.no_export:
        before = peak_rss_mb()
        started = time.perf_counter()
        response = client.get(f"{trips}export/csv/?network__id__exact={n}")
        size = rows = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            rows += chunk.count(b"\n")
        elapsed = time.perf_counter() - started
        print(f"CSV export of {rows - 1:,} trips: {elapsed:.1f} s, {size / 1e6:.0f} MB, "
              f"{(rows - 1) / elapsed:,.0f} rows/s, peak memory +{peak_rss_mb() - before:.0f} MB "
              f"(process peak {peak_rss_mb():.0f} MB)")


if __name__ == "__main__":
    main()
