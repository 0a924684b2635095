"""Benchmark the vehicles' telemetry: ingestion through HTTP with the alert rules on, reads of one vehicle's day in a
large history, and the feeds beside them.

    createdb -h 127.0.0.1 -U postgres fleetadmin_tlm
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_tlm
    ./fleet manage migrate
    .venv/bin/python bench/telemetry.py seed --vehicles 20000 --history 100000000 --days 30
    .venv/bin/python bench/telemetry.py ingest --seconds 60 [--workers 2] [--clients 6]
    .venv/bin/python bench/telemetry.py read [--samples 200]

`seed` makes two networks around Lyon (border with alerts on, a no-parking zone, a speed zone, thresholds) with
`--vehicles` vehicles fitted with a provider's devices, then the history: `--history` messages spread over the last
`--days` days (each day's partition filled beside the table, indexed, then attached, as apps.core.partitions does),
plus one busy vehicle reporting every 5 s for the whole of yesterday.

`ingest` starts gunicorn (production settings, `--workers` sync workers) and `--clients` client threads that post
prepared batches of 100 messages (every vehicle in turn, moving a little, batteries draining, some speeding, some
in the no-parking zone, so every rule runs) for `--seconds`; prints messages per second, request latency percentiles
(a message is in its vehicle's state when its request answers: ingestion is synchronous) and the CPU used.

`read` times listVehicleTelemetry for one vehicle's day (a typical vehicle, and the busy ones, as JSON and as CSV,
with and without gzip on the wire) and GBFS
vehicle_status and MDS telemetry through the same server, with the history in place.
"""
import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import hash_token  # noqa: E402
from apps.applabels.models import AppLabel  # noqa: E402
from apps.fleet.models import Vehicle, VehicleModel  # noqa: E402
from apps.geofencing.models import BorderSettings, NetworkBorder, NoParkingZone, SpeedZone  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.reference.models import Country, Currency  # noqa: E402
from apps.telemetry.history import MESSAGES  # noqa: E402
from apps.telemetry.models import AlertThresholds, TelemetryDevice, TelemetryProvider  # noqa: E402

LABEL = "benchtlm"
TOKEN = "tlm_bench-telemetry-provider"
CENTERS = [(45.7640, 4.8357), (45.7500, 4.8500)]
SPREAD = 0.03  # degrees around each center
BATCH = 100


def _square(lat, lng, half):
    return [[lat - half, lng - half], [lat - half, lng + half], [lat + half, lng + half], [lat + half, lng - half]]


def _shaped(model, network, points, **fields):
    row = model(network=network, **fields)
    row.set_shape(points)
    row.save()
    return row


@transaction.atomic
def seed_fleet(vehicles: int) -> list[Network]:
    label, _ = AppLabel.objects.get_or_create(name=LABEL, defaults={"display_name": "Bench telemetry"})
    networks = list(Network.objects.filter(app_label=label).order_by("id"))
    if networks:
        return networks
    model, _ = VehicleModel.objects.get_or_create(name="Bench IoT Scooter")
    provider, _ = TelemetryProvider.objects.get_or_create(name="Bench IoT", defaults={"key_hash": hash_token(TOKEN)})
    per_network = vehicles // len(CENTERS)
    for index, (lat, lng) in enumerate(CENTERS):
        network = Network.objects.create(
            name=f"Bench telemetry {index + 1}", default_vat="0.2", country=Country.objects.get(alpha_2="FR"),
            currency=Currency.objects.get(code="EUR"), timezone="Europe/Paris", app_label=label,
            default_vehicle_guarantee=Decimal("0"), trip_to_skip_pre_auth_guarantee=-1)
        networks.append(network)
        _shaped(NetworkBorder, network, _square(lat, lng, SPREAD * 1.2))
        BorderSettings.objects.create(network=network, trigger_alert=True)
        _shaped(NoParkingZone, network, _square(lat + 0.01, lng + 0.01, 0.003), name="Bench lawn")
        _shaped(SpeedZone, network, _square(lat - 0.01, lng - 0.01, 0.005), max_speed=12)
        AlertThresholds.objects.create(network=network, low_battery=15)
        rng = random.Random(index)
        for start in range(0, per_network, 1000):
            made = Vehicle.objects.bulk_create(
                Vehicle(network=network, model=model, serial_number=f"T{index}{n:07d}", battery_level=90,
                        latitude=Decimal(f"{lat + rng.uniform(-SPREAD, SPREAD):.6f}"),
                        longitude=Decimal(f"{lng + rng.uniform(-SPREAD, SPREAD):.6f}"))
                for n in range(start, min(start + 1000, per_network)))
            TelemetryDevice.objects.bulk_create(TelemetryDevice(provider=provider, vehicle=v, device_id=v.serial_number)
                                                for v in made)
    return networks


def seed_history(total: int, days: int) -> None:
    """`total` messages over the last `days` days, each day's partition filled beside the table, then attached."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM telemetry_message")
        if cursor.fetchone()[0] >= total:
            print("history already there")
            return
        cursor.execute("SELECT d.vehicle_id, v.network_id, d.provider_id FROM telemetry_telemetrydevice d "
                       "JOIN fleet_vehicle v ON v.id = d.vehicle_id JOIN networks_network n ON n.id = v.network_id "
                       "JOIN applabels_applabel a ON a.id = n.app_label_id WHERE a.name = %s ORDER BY 1", [LABEL])
        fleet = cursor.fetchall()
    first_vehicle, count = fleet[0][0], len(fleet)
    provider = fleet[0][2]
    per_day = total // days
    today = timezone.now().date()
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        name = MESSAGES.name(day)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is not None:
                cursor.execute(f'SELECT count(*) FROM "{name}"')
                if cursor.fetchone()[0] >= per_day:
                    continue
                cursor.execute(f'DROP TABLE "{name}"')
            cursor.execute(f'CREATE TABLE "{name}" (LIKE telemetry_message INCLUDING DEFAULTS INCLUDING CONSTRAINTS)')
            # Message n of the day: vehicle n % count, at second (n // count) * spacing; positions near Lyon.
            cursor.execute(f"""
                INSERT INTO "{name}" (recorded_at, received_at, provider_id, message_id, vehicle_id, network_id,
                                      latitude, longitude, battery, locked, speed, odometer)
                SELECT t, t + interval '1 second', %(provider)s, 'h' || n, %(first)s + n %% %(count)s,
                       %(first_network)s + (n %% %(count)s) * 2 / %(count)s,
                       45.75 + (n %% 997) * 0.00004, 4.83 + (n %% 991) * 0.00004, (100 - n %% 90)::smallint,
                       n %% 5 <> 0, (n %% 25)::float8, n
                FROM generate_series(0, %(per_day)s - 1) AS n,
                     LATERAL (SELECT %(day)s::timestamptz + (n / %(count)s) * (86400.0 / ceil(%(per_day)s::numeric /
                              %(count)s)) * interval '1 second' AS t) AS at""",
                           {"provider": provider, "first": first_vehicle, "count": count, "per_day": per_day,
                            "day": f"{day.isoformat()}T00:00:00+00:00", "first_network": fleet[0][1]})
            _attach(cursor, name, day)
        print(f"{day}: {per_day:,} messages in {time.perf_counter() - started:.0f} s", flush=True)
    _busy_vehicle(fleet[0], today - timedelta(days=1))


def _attach(cursor, name: str, day) -> None:
    low = f"'{day.isoformat()}T00:00:00+00:00'"
    high = f"'{(day + timedelta(days=1)).isoformat()}T00:00:00+00:00'"
    # Indexes built on the filled table (a sort each), matched by the parent's on ATTACH instead of rebuilt.
    cursor.execute(f'CREATE UNIQUE INDEX ON "{name}" (provider_id, message_id, recorded_at)')
    cursor.execute(f'CREATE INDEX ON "{name}" (vehicle_id, recorded_at)')
    cursor.execute(f'CREATE INDEX ON "{name}" (network_id, recorded_at)')
    cursor.execute(f'ALTER TABLE telemetry_message ATTACH PARTITION "{name}" FOR VALUES FROM ({low}) TO ({high})')
    cursor.execute(f'ANALYZE "{name}"')


def steady_vehicle(row, day, *, every: int, prefix: str) -> int:
    """A vehicle reporting every `every` seconds for the whole `day` (every 5 s: the busiest there can be, 17,280
    messages; every 30 s: a vehicle ridden all day, 2,880)."""
    vehicle, network, provider = row
    count = 86_400 // every
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO telemetry_message (recorded_at, received_at, provider_id, message_id, vehicle_id, network_id,
                                           latitude, longitude, battery, locked, speed)
            SELECT t, t, %s, %s || n, %s, %s, 45.76 + n * 0.000001, 4.83, 80, false, 18
            FROM generate_series(0, %s - 1) AS n,
                 LATERAL (SELECT %s::timestamptz + n * %s * interval '1 second' AS t) a
            ON CONFLICT DO NOTHING""", [provider, prefix, vehicle, network, count,
                                        f"{day.isoformat()}T00:00:00+00:00", every])
    print(f"vehicle {vehicle}: {count:,} messages on {day}")
    return vehicle


def _busy_vehicle(row, day) -> None:
    steady_vehicle(row, day, every=5, prefix="busy")


# --- ingestion ---------------------------------------------------------------------------------------------------
def prepared_batches(seconds: float, rate: int) -> list[bytes]:
    """Enough batches for `seconds` at `rate` messages a second: every vehicle in turn, each message a little later
    than its vehicle's previous one (so each changes the vehicle's state and runs the rules). A tenth of the vehicles
    ride (10-30 km/h, some through the speed zone), the others stand (GPS noise); batteries drain; some vehicles stand
    in the no-parking zone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT d.device_id, v.latitude, v.longitude FROM telemetry_telemetrydevice d JOIN fleet_vehicle v "
                       "ON v.id = d.vehicle_id JOIN telemetry_telemetryprovider p ON p.id = d.provider_id "
                       "WHERE p.name = 'Bench IoT' ORDER BY d.id")
        fleet = [[device, float(lat), float(lng), 90.0] for device, lat, lng in cursor.fetchall()]
    rng = random.Random(7)
    riding = set(rng.sample(range(len(fleet)), len(fleet) // 10))
    for index in rng.sample(range(len(fleet)), 200):  # parked on the lawn, or riding through the slow zone
        center = CENTERS[index % 2]
        fleet[index][1:3] = ([center[0] + 0.01, center[1] + 0.01] if index % 3 else [center[0] - 0.01, center[1] - 0.01])
    count = int(seconds * rate / BATCH) + 1
    began = timezone.now() - timedelta(seconds=5)
    step = timedelta(seconds=BATCH / rate)
    batches, cursor_at = [], 0
    for number in range(count):
        at = (began + step * number).isoformat()
        messages = []
        for _ in range(BATCH):
            index = cursor_at % len(fleet)
            cursor_at += 1
            vehicle = fleet[index]
            moving = index in riding
            vehicle[1] += rng.uniform(-0.0002, 0.0002) if moving else rng.uniform(-0.00001, 0.00001)
            vehicle[2] += rng.uniform(-0.0002, 0.0002) if moving else rng.uniform(-0.00001, 0.00001)
            vehicle[3] = max(3.0, vehicle[3] - (0.05 if moving else 0.005))
            messages.append({"id": f"b{number}-{index}", "vehicle": vehicle[0], "time": at,
                             "latitude": round(vehicle[1], 6), "longitude": round(vehicle[2], 6),
                             "battery": int(vehicle[3]), "locked": not moving,
                             "speed": round(rng.uniform(10, 30), 1) if moving else 0.0})
        batches.append(json.dumps({"messages": messages}).encode())
    return batches


def cpu_seconds(pids) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def postgres_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and
            _comm(p) in ("postgres", "postmaster")]


def _comm(proc: Path) -> str:
    try:
        return (proc / "comm").read_text().strip()
    except OSError:
        return ""


def gunicorn(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "fleetadmin.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
         str(workers), "--log-level", "warning"], cwd=ROOT, env={**os.environ, "DJANGO_DEBUG": "0"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/gbfs/v3/manifest.json")
            return server
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def server_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [server.pid, *map(int, children)]


def run_ingest(args) -> None:
    seed_fleet(20_000)
    print(f"preparing {args.seconds:.0f} s of batches...", flush=True)
    batches = prepared_batches(args.seconds * 1.5, 12_000)
    server = gunicorn(args.port, args.workers)
    try:
        latencies, accepted, lock = [], [0], threading.Lock()
        pending = iter(batches)
        stop = time.monotonic() + args.seconds

        def client():
            connection_ = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
            while time.monotonic() < stop:
                with lock:
                    body = next(pending, None)
                if body is None:
                    return
                began = time.perf_counter()
                connection_.request("POST", "/api/telemetry/v1/messages", body=body, headers=headers)
                response = connection_.getresponse()
                data = json.loads(response.read())
                elapsed = (time.perf_counter() - began) * 1000
                if response.status != 200:
                    raise RuntimeError(f"{response.status}: {data}")
                with lock:
                    latencies.append(elapsed)
                    accepted[0] += data["data"]["accepted"]

        watched = server_pids(server)
        before = (cpu_seconds(watched), cpu_seconds(postgres_pids()))
        began = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        web_cpu, pg_cpu = cpu_seconds(watched) - before[0], cpu_seconds(postgres_pids()) - before[1]
    finally:
        server.terminate()
        server.wait()
    latencies.sort()
    rate = accepted[0] / elapsed
    print(f"{accepted[0]:,} messages in {elapsed:.1f} s: {rate:,.0f} messages/s ({len(latencies) / elapsed:.1f} "
          f"batches/s of {BATCH}), {args.workers} workers, {args.clients} clients")
    print(f"request (= message in its vehicle's state) p50 {statistics.median(latencies):.0f} ms, p95 "
          f"{latencies[int(len(latencies) * .95)]:.0f} ms, max {latencies[-1]:.0f} ms")
    print(f"CPU per 1,000 messages: web {web_cpu / accepted[0] * 1000 * 1000:.0f} ms, PostgreSQL "
          f"{pg_cpu / accepted[0] * 1000 * 1000:.0f} ms (of {2 * elapsed:.0f} core-seconds available)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rule, count(*) FROM fleet_fleetalert WHERE rule <> '' GROUP BY 1 ORDER BY 1")
        print("open and resolved rule alerts:", dict(cursor.fetchall()))


# --- reads ----------------------------------------------------------------------------------------------------------
def run_read(args) -> None:
    from apps.accounts.models import User
    from apps.accounts.services import issue_token

    user = User.objects.filter(email="bench-tlm@example.com").first() or User.objects.create_superuser(
        email="bench-tlm@example.com")
    token, _ = issue_token(user=user, user_agent="bench")
    with connection.cursor() as cursor:
        cursor.execute("SELECT vehicle_id, network_id, provider_id FROM telemetry_message WHERE message_id = 'busy0' "
                       "LIMIT 1")
        busy, network, provider = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM telemetry_message")
        total = cursor.fetchone()[0]
    print(f"history: {total:,} messages")
    yesterday = (timezone.now() - timedelta(days=1)).date()
    ridden = steady_vehicle((busy + 1, network, provider), yesterday, every=30, prefix="ridden")
    day = {"from": f"{yesterday}T00:00:00Z", "to": f"{yesterday + timedelta(days=1)}T00:00:00Z", "limit": 20000}
    agency = _agency_token(network)
    server = gunicorn(args.port, 2)
    try:
        client = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        rng = random.Random(3)
        cases = {
            "a typical vehicle's day": lambda: ("/api/dashboard/v1/vehicle-telemetry?" + _query(
                vehicle_id=busy + rng.randrange(2, 9_000), **day), {"Authorization": f"Bearer {token}"}),
            "a vehicle ridden all day (2,880 messages)": lambda: (
                "/api/dashboard/v1/vehicle-telemetry?" + _query(vehicle_id=ridden, **day),
                {"Authorization": f"Bearer {token}"}),
            "the busiest vehicle's day (17,280 messages)": lambda: (
                "/api/dashboard/v1/vehicle-telemetry?" + _query(vehicle_id=busy, **day),
                {"Authorization": f"Bearer {token}"}),
            "a vehicle ridden all day as CSV": lambda: (
                "/api/dashboard/v1/vehicle-telemetry?" + _query(vehicle_id=ridden, **day),
                {"Authorization": f"Bearer {token}", "Accept": "text/csv"}),
            "the busiest vehicle's day as CSV": lambda: (
                "/api/dashboard/v1/vehicle-telemetry?" + _query(vehicle_id=busy, **day),
                {"Authorization": f"Bearer {token}", "Accept": "text/csv"}),
            "the busiest vehicle's day as CSV, gzipped": lambda: (
                "/api/dashboard/v1/vehicle-telemetry?" + _query(vehicle_id=busy, **day),
                {"Authorization": f"Bearer {token}", "Accept": "text/csv", "Accept-Encoding": "gzip"}),
            "the busiest vehicle's day, gzipped": lambda: (
                "/api/dashboard/v1/vehicle-telemetry?" + _query(vehicle_id=busy, **day),
                {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}),
            "GBFS vehicle_status": lambda: (f"/gbfs/v3/{network}/vehicle_status.json", {}),
            "MDS telemetry, one hour of yesterday, first page": lambda: (
                f"/mds/v2/telemetry?telemetry_time={yesterday}T12",
                {"Authorization": f"Bearer {agency}", "Accept": "application/vnd.mds+json;version=2.0"}),
        }
        for name, make in cases.items():
            times, size = [], 0
            for _ in range(args.samples if "MDS" not in name else max(5, args.samples // 20)):
                url, headers = make()
                began = time.perf_counter()
                client.request("GET", url, headers=headers)
                response = client.getresponse()
                body = response.read()
                times.append((time.perf_counter() - began) * 1000)
                if response.status != 200:
                    raise RuntimeError(f"{name}: {response.status} {body[:300]}")
                size = len(body)
            times.sort()
            print(f"{name}: p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * .95)]:.1f} ms "
                  f"({len(times)} requests, {size:,} bytes)")
        _walk_mds_hour(client, f"/mds/v2/telemetry?telemetry_time={yesterday}T12", agency)
    finally:
        server.terminate()
        server.wait()


def _walk_mds_hour(client, url: str, agency: str) -> None:
    """Every page of an hour's MDS telemetry, following links.next."""
    from urllib.parse import urlsplit

    began, pages, points, size = time.perf_counter(), 0, 0, 0
    while url:
        client.request("GET", url, headers={"Authorization": f"Bearer {agency}",
                                            "Accept": "application/vnd.mds+json;version=2.0"})
        body = client.getresponse().read()
        page = json.loads(body)
        pages, points, size = pages + 1, points + len(page["telemetry"]), size + len(body)
        following = page["links"]["next"]
        url = following and (urlsplit(following).path + "?" + urlsplit(following).query)
    print(f"MDS telemetry, the whole hour: {points:,} points in {pages} pages, {size:,} bytes, "
          f"{(time.perf_counter() - began) * 1000:.0f} ms")


def _query(**values) -> str:
    from urllib.parse import urlencode

    return urlencode(values)


def _agency_token(network_id: int) -> str:
    from apps.opendata.services import agency_token_create

    _row, token = agency_token_create(agency="Bench", networks=[Network.objects.get(pk=network_id)])
    return token


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="step", required=True)
    seed = sub.add_parser("seed")
    seed.add_argument("--vehicles", type=int, default=20_000)
    seed.add_argument("--history", type=int, default=100_000_000)
    seed.add_argument("--days", type=int, default=30)
    ingest = sub.add_parser("ingest")
    ingest.add_argument("--seconds", type=float, default=60)
    ingest.add_argument("--workers", type=int, default=2)
    ingest.add_argument("--clients", type=int, default=6)
    ingest.add_argument("--port", type=int, default=8731)
    read = sub.add_parser("read")
    read.add_argument("--samples", type=int, default=200)
    read.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    if args.step == "seed":
        started = time.perf_counter()
        seed_fleet(args.vehicles)
        seed_history(args.history, args.days)
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    elif args.step == "ingest":
        run_ingest(args)
    else:
        run_read(args)


if __name__ == "__main__":
    main()
