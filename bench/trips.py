"""Benchmark listTrips and the statistics at 1,000,000 trips through the whole HTTP stack.

    createdb -h 127.0.0.1 -U postgres fleetadmin_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench ./fleet manage migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/trips.py

Seeds one network with 300 clusters, 2,000 vehicles, 50,000 riders and 1,000,000 trips over the last year
(daily and weekly seasonality, rush hours) with INSERT ... SELECT generate_series, stores the statistics' day
summaries as the worker's beat would (apps.trips.rollups), then times listTrips (filter mixes, sorts, first and
deep pages) and every UsageStats and Overview operation over 30 and 365 days through the Django test client,
printing for each the median and p95 in ms, the query count, the time of the same aggregate run directly in SQL
over the trips ("raw SQL") and, for the statistics, the time of reading the stored day rows the endpoint reads
("days SQL"). A second run reuses the seeded network (`--reseed` starts again).
"""
import argparse
import os
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.harness import as_a_worker, sql_median, timed, timed_get  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.applabels.models import AppLabel  # noqa: E402
from apps.fleet.models import Cluster, Vehicle, VehicleModel  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.reference.models import Country, Currency  # noqa: E402
from apps.stats.api import views as stats_views  # noqa: E402
from apps.trips.models import TripDay  # noqa: E402
from apps.trips.tasks import fill_trip_days  # noqa: E402
from apps.trips.models import Trip  # noqa: E402

NETWORK = "Bench City"


@transaction.atomic
def seed(trips: int, riders: int, vehicles: int, clusters: int, *, name: str = NETWORK,
         paused_days: int = 0, days: int = 365) -> Network:
    """A network and `days` (a year) of trips; with `paused_days`, the span ends that many days ago (a network paused for the
    winter, whose trips may still hold the table's newest ids)."""
    label, _ = AppLabel.objects.get_or_create(name="bench", defaults={"display_name": "Bench"})
    network = Network.objects.create(name=name, default_vat="0.2", country=Country.objects.get(alpha_2="FR"),
                                     currency=Currency.objects.get(code="EUR"), default_vehicle_guarantee=150,
                                     trip_to_skip_pre_auth_guarantee=0, timezone="Europe/Paris", app_label=label)
    model, _ = VehicleModel.objects.get_or_create(name="Bench Bike")
    Cluster.objects.bulk_create(Cluster(network=network, name=f"C{n:03d}", latitude=45 + n / 1000, longitude=4 + n / 1000)
                                for n in range(clusters))
    Vehicle.objects.bulk_create(Vehicle(network=network, model=model, serial_number=f"B{network.pk:02d}{n:06d}"[:10])
                                for n in range(vehicles))
    prefix = "bench" if name == NETWORK else f"bench{network.pk}"  # riders' e-mails: unique across networks
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {User._meta.db_table} (password, is_superuser, email, firstname, lastname, phone_number,
                                               is_staff, is_active, register_at)
            SELECT '!', false, %s || '-' || g || '@riders.bench', 'Rider', 'N' || g, '', false, true, now()
            FROM generate_series(1, %s) g""", [prefix, riders])
        cursor.execute(f"SELECT min(id), max(id) FROM {User._meta.db_table} WHERE email LIKE %s",
                       [prefix + "-%@riders.bench"])
        rider_lo, rider_hi = cursor.fetchone()
        cursor.execute("SELECT min(id), max(id) FROM fleet_vehicle WHERE network_id = %s", [network.pk])
        vehicle_lo, vehicle_hi = cursor.fetchone()
        cursor.execute("SELECT min(id), max(id) FROM fleet_cluster WHERE network_id = %s", [network.pk])
        cluster_lo, cluster_hi = cursor.fetchone()
        # A year of trips: more on weekdays, peaks at 8:00 and 18:00 (hour drawn from a skewed mix), inserted in
        # the order they started (ids and the table's pages follow time, as in production).
        cursor.execute(f"""
            INSERT INTO {Trip._meta.db_table} (guid, network_id, rider_id, vehicle_id, start_cluster_id, end_cluster_id,
                state, started_at, ended_at, distance, duration, running_duration, amount, discount_amount, demo,
                payment_status, payment_mode, organization_amount, created_at, updated_at,
                start_latitude, start_longitude, end_latitude, end_longitude, covered_seconds)
            SELECT gen_random_uuid(), %(network)s, rider, vehicle, start_cluster, end_cluster,
                   CASE WHEN g %% 50 = 0 THEN 'cancelled' ELSE 'finished' END, s, s + d * interval '1 second',
                   (d * (2 + random() * 3))::int, d, d, 1 + d / 60 * 0.15, 0, g %% 100 = 0, 'paid',
                   (ARRAY['card','card','card','wallet','pass','organization','free'])[1 + g %% 7], 0, s, s,
                   -- within ~150 m of the clusters (which sit at 45 + n/1000, 4 + n/1000): the heatmap's points
                   round((45 + (start_cluster - %(clo)s) / 1000.0 + (random() - 0.5) * 0.003)::numeric, 6),
                   round((4 + (start_cluster - %(clo)s) / 1000.0 + (random() - 0.5) * 0.003)::numeric, 6),
                   round((45 + (end_cluster - %(clo)s) / 1000.0 + (random() - 0.5) * 0.003)::numeric, 6),
                   round((4 + (end_cluster - %(clo)s) / 1000.0 + (random() - 0.5) * 0.003)::numeric, 6), 0
            FROM (SELECT g, date_trunc('day', now()) - ((g %% %(days)s + %(paused)s) || ' days')::interval
                          + ((CASE WHEN g %% 3 = 0 THEN 8 WHEN g %% 3 = 1 THEN 18 ELSE 6 + (g %% 17) END) || ' hours')::interval
                          + ((g::bigint * 7919) %% 3600 || ' seconds')::interval AS s,
                         120 + (g::bigint * 104729) %% 2400 AS d,
                         %(rlo)s + (random() * (%(rhi)s - %(rlo)s))::int AS rider,
                         %(vlo)s + (random() * (%(vhi)s - %(vlo)s))::int AS vehicle,
                         %(clo)s + (random() * (%(chi)s - %(clo)s))::int AS start_cluster,
                         %(clo)s + (random() * (%(chi)s - %(clo)s))::int AS end_cluster
                  FROM generate_series(1, %(trips)s) g) t
            ORDER BY s  -- ids follow start times, as when trips are recorded as they start""",
                       {"network": network.pk, "rlo": rider_lo, "rhi": rider_hi, "vlo": vehicle_lo, "vhi": vehicle_hi,
                        "clo": cluster_lo, "chi": cluster_hi, "trips": trips, "paused": paused_days, "days": days})
    return network


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trips", type=int, default=1_000_000)
    parser.add_argument("--riders", type=int, default=50_000)
    parser.add_argument("--vehicles", type=int, default=2_000)
    parser.add_argument("--clusters", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--seed-only", action="store_true", help="seed (if missing) and store the days, time nothing")
    parser.add_argument("--network", default=NETWORK, help="the network to seed (if missing) and measure")
    parser.add_argument("--days", type=int, default=365, help="when seeding: the span of the network's trips")
    parser.add_argument("--paused-days", type=int, default=0,
                        help="when seeding: the network's year of trips ends this many days ago")
    args = parser.parse_args()
    as_a_worker()
    admin, _ = User.objects.get_or_create(email="bench@fleetadmin.local", defaults={"is_superuser": True, "is_staff": True})
    client = APIClient()
    client.force_authenticate(admin)

    network = Network.objects.filter(name=args.network).first()
    if network is None or args.reseed:
        started = time.perf_counter()
        network = seed(args.trips, args.riders, args.vehicles, args.clusters, name=args.network,
                       paused_days=args.paused_days, days=args.days)
        with connection.cursor() as cursor:  # what autovacuum does soon after a bulk load in production
            cursor.execute(f"VACUUM ANALYZE {Trip._meta.db_table}")
            cursor.execute(f"ANALYZE {User._meta.db_table}, fleet_vehicle, fleet_cluster")
        print(f"seeded {args.trips:,} trips, {args.riders:,} riders, {args.vehicles:,} vehicles, {args.clusters} "
              f"clusters in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()  # what the worker's beat does every 15 minutes (a no-op once all are stored)
    stored = fill_trip_days()
    print(f"stored {stored} day summaries in {time.perf_counter() - started:.1f} s")
    if args.seed_only:
        return
    n = network.pk
    trips = Trip.objects.filter(network=network)
    deep = trips.order_by("-id").values_list("id", flat=True)[1000]
    deep_by_date = trips.order_by("-started_at", "-id").values_list("id", flat=True)[1000]
    table = Trip._meta.db_table
    list_cases = {
        "listTrips first page": ({}, f"SELECT id FROM {table} WHERE network_id = {n} ORDER BY id DESC LIMIT 20"),
        "listTrips 1,000 rows deep": ({"last_primary_key": deep},
                                      f"SELECT id FROM {table} WHERE network_id = {n} AND id < {deep} ORDER BY id DESC LIMIT 20"),
        "listTrips by start_date, first page": ({"sort_by": "start_date"}, None),
        "listTrips by start_date, 1,000 deep": ({"sort_by": "start_date", "last_primary_key": deep_by_date}, None),
        "listTrips state=cancelled": ({"state": "cancelled"}, None),
        "listTrips last 30 days, by duration": ({"start_date_min": (date.today() - timedelta(days=30)).isoformat(),
                                                 "sort_by": "duration"}, None),
        "listTrips one cluster, by distance": ({"cluster_start_id": trips.values_list("start_cluster_id", flat=True)[0],
                                                "sort_by": "distance"}, None),
    }
    print(f"{'case':44} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'raw SQL ms':>11} {'days SQL ms':>12}")
    for name, (params, sql) in list_cases.items():
        median, p95, queries = timed(client, "/api/dashboard/v1/trips", {"networks": n, **params}, args.repeat)
        raw = f"{sql_median(sql, [], args.repeat):11.1f}" if sql else f"{'':>11}"
        print(f"{name:44} {median:10.1f} {p95:8.1f} {queries:8} {raw}")

    today = date.today()
    stats = ["", "/summary", "/dow", "/time-of-day", "/distance", "/duration", "/stations"]
    raw_sql = {  # the heart of each aggregate, run directly
        "": "SELECT date_trunc(%s, started_at AT TIME ZONE 'Europe/Paris'), count(*), count(DISTINCT rider_id) FROM "
            f"{table} WHERE network_id = {n} AND state = 'finished' AND started_at >= %s GROUP BY 1",
        "/summary": "SELECT count(*), count(DISTINCT rider_id), count(DISTINCT vehicle_id), sum(distance), avg(distance), "
                    "percentile_cont(0.5) WITHIN GROUP (ORDER BY distance), max(distance), sum(duration), avg(duration), "
                    "percentile_cont(0.5) WITHIN GROUP (ORDER BY duration), max(duration) FROM "
                    f"{table} WHERE network_id = {n} AND state = 'finished' AND started_at >= %s",
        "/dow": f"SELECT extract(dow FROM started_at AT TIME ZONE 'Europe/Paris'), count(*) FROM {table} "
                f"WHERE network_id = {n} AND state = 'finished' AND started_at >= %s GROUP BY 1",
        "/time-of-day": f"SELECT extract(hour FROM started_at AT TIME ZONE 'Europe/Paris'), count(*) FROM {table} "
                        f"WHERE network_id = {n} AND state = 'finished' AND started_at >= %s GROUP BY 1",
        "/distance": f"SELECT width_bucket(distance, ARRAY[0,1000,2000,3000,5000,10000]), payment_mode, count(*) FROM "
                     f"{table} WHERE network_id = {n} AND state = 'finished' AND started_at >= %s GROUP BY 1, 2",
        "/duration": f"SELECT width_bucket(duration, ARRAY[0,300,600,900,1200,1800,2700,3600]), payment_mode, count(*) "
                     f"FROM {table} WHERE network_id = {n} AND state = 'finished' AND started_at >= %s GROUP BY 1, 2",
        "/stations": f"SELECT start_cluster_id, count(*) FROM {table} WHERE network_id = {n} AND state = 'finished' "
                     f"AND started_at >= %s GROUP BY 1 UNION ALL SELECT end_cluster_id, count(*) FROM {table} "
                     f"WHERE network_id = {n} AND state = 'finished' AND started_at >= %s GROUP BY 1",
    }
    views = [stats_views.UsageStats, stats_views.UsageStatsSummary, stats_views.TripsByDow,
             stats_views.TripsByTimeOfDay, stats_views.TripDistanceDistribution, stats_views.TripDurationDistribution,
             stats_views.StationDistribution]
    parts_of = {path: view.parts for path, view in zip(stats, views)}  # the day-row columns each endpoint reads
    for days in (30, 365):
        start = today - timedelta(days=days - 1)
        for path in stats:
            params = {"networks": n, "start_date": start.isoformat(), "end_date": today.isoformat(),
                      "timezone": "Europe/Paris"}
            median, p95, queries = timed(client, f"/api/dashboard/v1/usage-stats{path}", params, args.repeat)
            sql_params = ["day" if days <= 31 else "month", start] if path == "" else [start] * (2 if path == "/stations" else 1)
            raw = sql_median(raw_sql[path], sql_params, args.repeat)
            columns = ", ".join(["day", "trip_count", *parts_of[path]])  # the stored rows the endpoint reads
            rows = sql_median(f"SELECT {columns} FROM {TripDay._meta.db_table} WHERE network_id = {n} "
                            "AND day BETWEEN %s AND %s", [start, today], args.repeat)
            print(f"{'usage-stats' + path + f' ({days} days)':44} {median:10.1f} {p95:8.1f} {queries:8} {raw:11.1f} "
                  f"{rows:12.1f}")
    for path, extra in [("stations", {}), ("vehicles", {}), ("trips", {"timezone": "Europe/Paris"}),
                        ("users", {"timezone": "Europe/Paris"}), ("map", {})]:
        median, p95, queries = timed(client, f"/api/dashboard/v1/overview/{path}", {"networks": n, **extra}, args.repeat)
        print(f"{'overview/' + path:44} {median:10.1f} {p95:8.1f} {queries:8}")
    # The heatmap over 365 days: the whole city at zoom 0 (the clusters sit on a diagonal from 45.0, 4.0), a
    # district at zoom 1, a few streets at zoom 2, as a map zoomed in shows them.
    dates = {"date_min": f"{today - timedelta(days=364)}T00:00:00Z", "date_max": f"{today}T23:59:59Z"}
    for zoom, step, size in ((0, "0.001", 0.6), (1, "0.0005", 0.1), (2, "0.0001", 0.01)):
        area = {"lat": 45.1, "lng": 4.1, "latDeg": size, "lngDeg": size, **dates}
        median, p95, queries, response = timed_get(client, "/api/dashboard/v1/heatmap", args.repeat,
                                                   params={"networks": n, **area, "zoom": zoom})
        low_lat, high_lat, low_lng, high_lng = 45.1 - size / 2, 45.1 + size / 2, 4.1 - size / 2, 4.1 + size / 2
        raw = sql_median(f"SELECT round(start_latitude / {step}) * {step}, round(start_longitude / {step}) * {step}, "
                         f"date_trunc('month', started_at AT TIME ZONE 'Europe/Paris'), count(*) FROM {table} "
                         f"WHERE network_id = {n} AND started_at >= %s AND started_at <= %s "
                         f"AND start_latitude BETWEEN {low_lat} AND {high_lat} "
                         f"AND start_longitude BETWEEN {low_lng} AND {high_lng} "
                         "GROUP BY 1, 2, 3 ORDER BY 3, 1, 2", [dates["date_min"], dates["date_max"]], 3)
        label = f"heatmap 365 days, zoom {zoom}, {size}° ({len(response.json()['data']):,} points)"
        print(f"{label:44} {median:10.1f} {p95:8.1f} {queries:8} {raw:11.1f}")
    median, p95, queries = timed(client, "/api/dashboard/v1/vehicles", {"networks": n}, args.repeat)
    print(f"{f'listVehicles ({Vehicle.objects.filter(network=network).count():,} vehicles)':44} {median:10.1f} "
          f"{p95:8.1f} {queries:8}")
    # Page 500 against the raw SQL of every SELECT the request ran (this client is authenticated without a token
    # query; the access log's INSERT is left out), and page 20 the same way: its time beyond its SQL is what any
    # request costs before its rows (the fixed part).
    for page_size in (20, 500):
        params = {"networks": n, "page_size": page_size}
        median, p95, queries = timed(client, "/api/dashboard/v1/trips", params, args.repeat)
        with CaptureQueriesContext(connection) as ran:
            client.get("/api/dashboard/v1/trips", params)
        statements = [query["sql"] for query in ran.captured_queries
                      if query["sql"].lstrip("( \n").upper().startswith(("SELECT", "WITH"))]
        raw = sum(sql_median(sql, [], args.repeat) for sql in statements)
        print(f"{f'listTrips page_size={page_size}':44} {median:10.1f} {p95:8.1f} {queries:8} {raw:11.1f}  "
              f"({median / raw:.1f}x the raw SQL of its {len(statements)} SELECTs, {median - raw:.1f} ms beyond it)")


if __name__ == "__main__":
    main()
