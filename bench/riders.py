"""Benchmark the riders' list and search at 200,000 riders, on top of the trips benchmark's network.

    createdb -h 127.0.0.1 -U postgres fleetadmin_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench ./fleet manage migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/riders.py

Seeds the trips benchmark's network (bench/trips.py: 1,000,000 trips by 50,000 riders) when it is missing, then
adds riders until the network has `--riders` members (the others registered and consulted offers without riding),
each with a device, and rebuilds the memberships from the trips. Times, through the whole HTTP stack, listUsers'
first page with `total`, its sorts and filters, searchUsers by an e-mail fragment and a rider's profile, and prints
the plan of the search query.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.riders.models import Device, NetworkMembership  # noqa: E402
from apps.riders.selectors import user_search  # noqa: E402
from apps.riders.services import rebuild_memberships  # noqa: E402
from bench.harness import timed  # noqa: E402
from bench.trips import NETWORK, seed  # noqa: E402

LIST = {"currency": "EUR", "timezone": "Europe/Paris", "without_network": "false"}


def add_riders(network: Network, wanted: int) -> None:
    members = NetworkMembership.objects.filter(network=network).count()
    missing = wanted - members
    users, memberships, devices = User._meta.db_table, NetworkMembership._meta.db_table, Device._meta.db_table
    with connection.cursor() as cursor:
        if missing > 0:
            cursor.execute(f"""
                WITH new AS (
                    INSERT INTO {users} (password, is_superuser, email, firstname, lastname, phone_number, is_staff,
                                         is_active, register_at)
                    SELECT '!', false, 'browser-' || g || '@riders.bench', 'Browser', 'B' || g,
                           '+336' || lpad(g::text, 8, '0'), false, true, now() - (g %% 700 || ' days')::interval
                    FROM generate_series(1, %s) g RETURNING id, register_at)
                INSERT INTO {memberships} (rider_id, network_id, first_activity_at, last_activity_at, trip_count,
                                           created_at, updated_at)
                SELECT id, %s, register_at, register_at, 0, now(), now() FROM new""", [missing, network.pk])
        cursor.execute(f"""
            INSERT INTO {devices} (device_id, rider_id, platform, model, os_version, app_version, push_token,
                                   first_seen_at, last_seen_at, created_at, updated_at)
            SELECT 'dev-' || (m.rider_id / 2), m.rider_id, 'android', 'Pixel', '14', 420, '', now(), now(), now(), now()
            FROM {memberships} m WHERE m.network_id = %s
            ON CONFLICT DO NOTHING""", [network.pk])
        for table in (users, memberships, devices):
            cursor.execute(f"VACUUM ANALYZE {table}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--riders", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    network = Network.objects.filter(name=NETWORK).first()
    started = time.perf_counter()
    if network is None:
        network = seed(1_000_000, 50_000, 2_000, 300)
    rebuild_memberships()
    add_riders(network, args.riders)
    print(f"ready in {time.perf_counter() - started:.1f} s: "
          f"{NetworkMembership.objects.filter(network=network).count():,} riders in {NETWORK}, "
          f"{User.objects.count():,} users")

    admin, _ = User.objects.get_or_create(email="bench@fleetadmin.local", defaults={"is_superuser": True, "is_staff": True})
    client = APIClient()
    client.force_authenticate(admin)
    networks = {"networks": str(network.pk), **LIST}
    some = NetworkMembership.objects.filter(network=network).order_by("-trip_count").values_list("rider_id", flat=True)[0]
    cases = [
        ("listUsers first page + total", "/api/dashboard/v1/users", networks),
        ("listUsers 500 rows", "/api/dashboard/v1/users", {**networks, "page_size": 500}),
        ("listUsers by register_at", "/api/dashboard/v1/users", {**networks, "sort_by": "register_at"}),
        ("listUsers by last_activity", "/api/dashboard/v1/users", {**networks, "sort_by": "last_activity"}),
        ("listUsers by trip_count", "/api/dashboard/v1/users", {**networks, "sort_by": "trip_count"}),
        ("listUsers email fragment", "/api/dashboard/v1/users", {**networks, "email": "12345"}),
        ("listUsers trip_count >= 40", "/api/dashboard/v1/users", {**networks, "trip_count_min": 40}),
        ("searchUsers 'bench-1234'", "/api/dashboard/v1/users/search", {"email": "bench-1234"}),
        ("searchUsers '98765'", "/api/dashboard/v1/users/search", {"email": "98765"}),
        ("getUserProfile", f"/api/dashboard/v1/users/{some}/profile", {}),
        ("getUserReport", f"/api/dashboard/v1/users/{some}/report", {}),
        ("listUserLastActions", f"/api/dashboard/v1/users/{some}/last-actions", {}),
    ]
    print(f"{'case':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url, params in cases:
        median, p95, queries = timed(client, url, params, args.repeat)
        print(f"{name:34} {median:10.1f} {p95:8.1f} {queries:8d}")
    sql, params = user_search(users=User.objects.all(), email="98765").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        print("\nplan of searchUsers '98765':")
        for (line,) in cursor.fetchall():
            print("  " + line)


if __name__ == "__main__":
    main()
