"""Benchmark the open-data feeds: GBFS vehicle_status and station_status of a network of 5,000 vehicles and 500
stations (uncached, from the cache, and 304), and MDS /trips for the busiest hour of bench/trips.py's 1M-trip
network.

    createdb -h 127.0.0.1 -U postgres fleetadmin_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench ./fleet manage migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/trips.py   # 1M trips
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/opendata.py

Times each request through the whole Django stack (test client) and prints the median and p95 in ms, the query
count and the answer's size. "Uncached" clears the cache before each request (every file rebuilt from the
database); "cached" is the planner polling within the ttl; "304" sends the ETag back.
"""
import argparse
import os
import sys
from datetime import timedelta, timezone as dt_timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import TruncHour  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.applabels.models import AppLabel  # noqa: E402
from apps.fleet.models import Cluster, Spot, Station, Vehicle, VehicleModel  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.opendata.services import agency_token_create  # noqa: E402
from apps.reference.models import Country, Currency  # noqa: E402
from apps.trips.models import Trip, TripState  # noqa: E402
from bench.harness import timed_get  # noqa: E402
from bench.trips import NETWORK as TRIPS_NETWORK  # noqa: E402

NETWORK = "Open City"
ACCEPT = "application/vnd.mds+json;version=2.0"


@transaction.atomic
def seed(vehicles: int, stations: int, spots: int) -> Network:
    label, _ = AppLabel.objects.get_or_create(name="bench-open", defaults={"display_name": "Bench open"})
    network = Network.objects.create(name=NETWORK, default_vat="0.2", country=Country.objects.get(alpha_2="FR"),
                                     currency=Currency.objects.get(code="EUR"), default_vehicle_guarantee=150,
                                     trip_to_skip_pre_auth_guarantee=0, timezone="Europe/Paris", app_label=label)
    bike, _ = VehicleModel.objects.get_or_create(name="Bench Bike")
    scooter, _ = VehicleModel.objects.get_or_create(name="Bench Scooter", defaults={
        "form_factor": "scooter_standing", "propulsion_type": "electric", "max_range_meters": 30_000})
    clusters = Cluster.objects.bulk_create(
        Cluster(network=network, name=f"S{n:03d}", latitude=45.7 + n / 5000, longitude=4.8 + n / 5000)
        for n in range(stations))
    made = Station.objects.bulk_create(Station(cluster=c, name=f"{c.name}-1", serial_number=f"OS{c.pk:08d}")
                                       for c in clusters)
    all_spots = Spot.objects.bulk_create(Spot(station=s, number=n + 1) for s in made for n in range(spots))
    docked = len(all_spots) // 3
    now = timezone.now()
    Vehicle.objects.bulk_create(
        Vehicle(network=network, model=bike if n % 2 else scooter, serial_number=f"O{network.pk:02d}{n:07d}"[:10],
                battery_level=20 + n % 80, position_at=now,
                spot=all_spots[n] if n < docked else None,
                latitude=None if n < docked else 45.7 + (n % 700) / 3000,
                longitude=None if n < docked else 4.8 + (n // 700) / 300)
        for n in range(vehicles))
    return network


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vehicles", type=int, default=5000)
    parser.add_argument("--stations", type=int, default=500)
    parser.add_argument("--spots", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    network = Network.objects.filter(name=NETWORK).first()
    if network is None:
        network = seed(args.vehicles, args.stations, args.spots)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    n = network.pk
    print(f"{NETWORK}: {Vehicle.objects.filter(network=network).count():,} vehicles, "
          f"{Cluster.objects.filter(network=network).count()} stations, "
          f"{Spot.objects.filter(station__cluster__network=network).count():,} docks")
    client = Client()
    print(f"{'request':52} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'bytes':>9}")
    for name in ("vehicle_status", "station_status", "station_information"):
        url = f"/gbfs/v3/{n}/{name}.json"
        etag = client.get(url)["ETag"]
        for label, kwargs in (("uncached", {"before": cache.clear}), ("cached", {}),
                              ("304", {"ok": (304,), "HTTP_IF_NONE_MATCH": etag})):
            median, p95, queries, response = timed_get(client, url, args.repeat, **kwargs)
            print(f"{'GBFS ' + name + ' (' + label + ')':52} {median:10.1f} {p95:8.1f} {queries:8} "
                  f"{len(response.content):9,}")

    trips_network = Network.objects.filter(name=TRIPS_NETWORK).first()
    if trips_network is None:
        print("no 1M-trip network: run bench/trips.py first for the MDS figures")
        return
    _row, token = agency_token_create(agency="Bench agency", networks=[trips_network])
    busiest = (Trip.objects.filter(network=trips_network, state=TripState.FINISHED,
                                   ended_at__lt=timezone.now() - timedelta(hours=2))
               .annotate(hour=TruncHour("ended_at")).values("hour").annotate(n=Count("id")).order_by("-n").first())
    hour = busiest["hour"].astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H")
    print(f"MDS: {Trip.objects.filter(network=trips_network).count():,} trips; busiest hour {hour} "
          f"({busiest['n']} trips ended)")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT": ACCEPT}
    for path, param in (("trips", "end_time"), ("telemetry", "telemetry_time"),
                        ("events/historical", "event_time")):
        median, p95, queries, response = timed_get(client, f"/mds/v2/{path}?{param}={hour}", args.repeat, **headers)
        print(f"{'MDS /' + path + ' (busiest hour)':52} {median:10.1f} {p95:8.1f} {queries:8} "
              f"{len(response.content):9,}")


if __name__ == "__main__":
    main()
