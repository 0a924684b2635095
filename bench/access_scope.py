"""What access control costs: resolving a scoped user's rights, and restricted lists, through the HTTP stack.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/access_scope.py --trips 1000000
    (create and migrate that database first: DATABASE_URL=… ./fleet manage migrate)

Seeds 60 networks with clusters and stations, TRIPS trips (one INSERT … SELECT generate_series) and a staff user
with many rights of every kind (keys and roles on units, some limited to clusters, guardian object permissions
for the user and a group). Prints, for the rights resolution alone and for listTrips / listClusterStations as a
superuser and as that user: median, p95 and query count. Everything runs in one transaction rolled back at the
end, so the database is left as it was.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from guardian.shortcuts import assign_perm  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.harness import timed  # noqa: E402

from apps.access.tests.factories import make_grant, make_role, make_unit  # noqa: E402
from apps.accounts.models import User  # noqa: E402
from apps.core.permissions import forget_grants, user_grants  # noqa: E402
from apps.fleet.tests.factories import make_cluster, make_station, make_vehicle  # noqa: E402
from apps.networks.tests.factories import make_network  # noqa: E402


def seed(trips: int):
    networks = [make_network(name=f"Bench {i}") for i in range(60)]
    clusters = {n.pk: [make_cluster(network=n) for _ in range(5)] for n in networks}
    for network_clusters in clusters.values():
        for cluster in network_clusters:
            make_station(cluster=cluster, spots=8)
    vehicles = [make_vehicle(network=n, serial_number=f"B{n.pk:08d}") for n in networks]
    User.objects.bulk_create(User(email=f"bench-rider-{i}@example.com") for i in range(2000))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO trips_trip (created_at, updated_at, guid, network_id, rider_id, vehicle_id, state, started_at,
                                    ended_at, distance, duration, demo)
            SELECT now(), now(), gen_random_uuid(), v.network_id, r.id, v.id, 'finished',
                   now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval + interval '12 minutes',
                   1000 + g %% 4000, 120 + g %% 2400, false
            FROM generate_series(1, %s) AS g
            JOIN LATERAL (SELECT id, network_id FROM fleet_vehicle WHERE id = %s + g %% %s) v ON true
            JOIN LATERAL (SELECT id FROM accounts_user WHERE email = 'bench-rider-' || (g %% 2000) || '@example.com') r ON true
            """,
            [trips, vehicles[0].pk, len(vehicles)],
        )
        cursor.execute("ANALYZE trips_trip")

    staff = User.objects.create_user(email="bench-staff@example.com", is_staff=True)
    group = Group.objects.create(name="bench group")
    staff.groups.add(group)
    role = make_role(key="bench-role", permissions=["trips", "stations", "users.list", "vehicles.manage"])
    for i in range(30):  # 30 units over networks 0..29, every third limited to one cluster
        network = networks[i]
        unit = make_unit(networks=[network], clusters=clusters[network.pk][:1] if i % 3 == 0 else [])
        make_grant(staff, "trips" if i % 2 else role, unit=unit, write=bool(i % 4 == 0))
    for network in networks[30:40]:
        assign_perm("networks.trips", staff, network)
        assign_perm("fleet.stations", group, clusters[network.pk][0])
    return networks, clusters, staff


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trips", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with transaction.atomic():
        started = time.perf_counter()
        networks, clusters, staff = seed(args.trips)
        print(f"seeded {args.trips:,} trips, 60 networks, 300 clusters in {time.perf_counter() - started:.1f} s")

        durations = []
        with CaptureQueriesContext(connection) as ctx:
            for _ in range(args.repeat):
                forget_grants(staff)
                began = time.perf_counter()
                grants = user_grants(staff)
                durations.append((time.perf_counter() - began) * 1000)
        durations.sort()
        print(f"rights of the staff user: {len(grants)} grants, median {statistics.median(durations):.2f} ms, "
              f"{len(ctx) // args.repeat} queries")

        superuser = User.objects.create_superuser(email="bench-root@example.com")
        in_scope = ",".join(str(n.pk) for n in networks[:40])
        cluster = clusters[networks[0].pk][0]
        cases = [
            ("listTrips 40 networks, superuser", superuser, "/api/dashboard/v1/trips", {"networks": in_scope}),
            ("listTrips 40 networks, scoped staff", staff, "/api/dashboard/v1/trips", {"networks": in_scope}),
            ("listTrips 1 network sorted by duration, staff", staff, "/api/dashboard/v1/trips",
             {"networks": networks[5].pk, "sort_by": "duration"}),
            ("listClusterStations, superuser", superuser, f"/api/dashboard/v1/clusters/{cluster.pk}/stations", {}),
            ("listClusterStations, scoped staff", staff, f"/api/dashboard/v1/clusters/{cluster.pk}/stations", {}),
        ]
        print(f"{'case':48} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
        for name, user, url, params in cases:
            client = APIClient()
            client.force_authenticate(user)
            median, p95, queries = timed(client, url, params, args.repeat)
            print(f"{name:48} {median:10.1f} {p95:10.1f} {queries:8}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
