"""Benchmark the trip lifecycle as riders drive it: simulated riders through gunicorn, the Celery worker and
PostgreSQL on this machine, with the sandbox payment and IoT providers in process.

    createdb -h 127.0.0.1 -U postgres fleetadmin_ride
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_ride REDIS_URL=redis://127.0.0.1:6379/5 \\
        ./fleet manage migrate
    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/rider_trips.py [--riders 24] [--seconds 60]

Seeds (once) an app label with one free-floating network of 1,500 charged vehicles around Lyon and a pricing rule,
starts gunicorn (gthread workers) and a Celery worker, signs up the riders through the API, then lets each ride
back to back for `--seconds` (no ride time: the throughput of the lifecycle itself). Each trip is a start (checks,
vehicle and rider rows locked, the guarantee held, the unlock) and an end (the lock, the price, the capture, the
invoice). Prints complete trips per second, start and end latency percentiles, and checks every trip ended paid
with its invoice row.
"""
import argparse
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from apps.applabels.models import AppLabel  # noqa: E402
from apps.fleet.models import Vehicle, VehicleModel  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.payments.models import Invoice  # noqa: E402
from apps.pricing.models import PricingRule  # noqa: E402
from apps.reference.models import Country, Currency  # noqa: E402
from apps.trips import simulator  # noqa: E402
from apps.trips.models import Trip  # noqa: E402

LABEL, CENTER = "benchride", (45.7640, 4.8357)


def seed(vehicles: int) -> Network:
    label, _ = AppLabel.objects.get_or_create(name=LABEL, defaults={"display_name": "Bench rides"})
    network = Network.objects.filter(app_label=label).first()
    if network is not None:
        return network
    network = Network.objects.create(
        name="Bench rides", default_vat="0.2", country=Country.objects.get(alpha_2="FR"),
        currency=Currency.objects.get(code="EUR"), default_vehicle_guarantee=Decimal("150"),
        trip_to_skip_pre_auth_guarantee=-1, timezone="Europe/Paris", app_label=label)
    PricingRule.objects.create(network=network, start_dow=0, start_hod=0, end_dow=6, end_hod=86_400,
                               unlock_price=Decimal("1"), unlock_included_time=0, freefloat_lock_price=Decimal("0.5"),
                               use_per_minute_price=Decimal("0.15"), on_hold_price=Decimal("0.05"))
    model, _ = VehicleModel.objects.get_or_create(name="Bench Scooter")
    for start in range(0, vehicles, 500):
        Vehicle.objects.bulk_create(
            Vehicle(network=network, model=model, serial_number=f"R{network.pk:02d}{n:06d}"[:10], battery_level=95,
                    latitude=Decimal(f"{point[0]:.6f}"), longitude=Decimal(f"{point[1]:.6f}"))
            for n in range(start, min(start + 500, vehicles))
            for point in [simulator.moved(*CENTER, (n * 7919) % 1400)])
    return network


def serve(port: int, workers: int, threads: int) -> list:
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    children = [subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "fleetadmin.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
         str(workers), "--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=env)]
    if os.environ.get("REDIS_URL"):
        children.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "fleetadmin", "worker", "--loglevel", "WARNING", "--concurrency",
             "1", "--without-gossip", "--without-mingle"], cwd=ROOT, env=env))
    return children


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--riders", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--vehicles", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    network = seed(args.vehicles)
    # What autovacuum does in production between runs; this machine's PostgreSQL runs without it (conf.d/90-ci.conf),
    # so the dead rows of earlier runs would otherwise pile up in the hot tables and their indexes.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    trips_before, invoices_before = Trip.objects.filter(network=network).count(), Invoice.objects.count()
    children = serve(args.port, args.workers, args.threads)
    try:
        results = simulator.run(base_url=f"http://127.0.0.1:{args.port}", app_label=LABEL, riders=args.riders,
                                trips=0, duration=args.seconds, center=CENTER, radius=1500,
                                prefix=f"bench-{int(time.time())}")
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait()
    ended = Trip.objects.filter(network=network).count() - trips_before
    paid = Trip.objects.filter(network=network, state="finished", payment_status="paid").count()
    invoices = Invoice.objects.count() - invoices_before
    print(f"{args.riders} riders for {results.elapsed:.0f} s on {os.cpu_count()} cores "
          f"(gunicorn {args.workers}x{args.threads} gthread):")
    print(f"  {results.trips} complete trips, {results.trips / results.elapsed:.1f} trips/s; "
          f"{invoices} invoice rows, {ended} trips made, {paid} paid in all")
    for name, values in (("start", results.start_ms), ("end", results.end_ms)):
        print(f"  {name}: p50 {simulator.percentile(values, .5):.0f} ms, p95 {simulator.percentile(values, .95):.0f} ms,"
              f" p99 {simulator.percentile(values, .99):.0f} ms")
    print(f"  refused: {results.refused or 'none'}")


if __name__ == "__main__":
    main()
