"""The statistics, the overview and the heatmap over each network and over all of them at once, through gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/network_sets.py \
        [--repeat 9] [--workers 2]

Uses bench/trips.py's 10M data set (three networks). Starts gunicorn with the production settings (bench/server.py);
a superuser and a staff member granted `trips` on the three networks send each request `--repeat` times,
alternated, over keep-alive connections that accept gzip, as a browser does. Prints the median and p95 in ms per
caller and the answer's size on the wire and as JSON.
"""
import argparse
import gzip
import os
import statistics
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from bench.server import Client, login, production_server, staff_member  # noqa: E402

from apps.networks.models import Network  # noqa: E402

API = "/api/dashboard/v1"


def requests(today: date) -> dict[str, tuple[str, dict]]:
    year = {"start_date": (today - timedelta(days=364)).isoformat(), "end_date": today.isoformat(),
            "timezone": "Europe/Paris"}
    dates = {"date_min": f"{today - timedelta(days=364)}T00:00:00Z", "date_max": f"{today}T23:59:59Z"}
    cases = {f"usage-stats{path} (365 days)": (f"{API}/usage-stats{path}", year)
             for path in ("", "/summary", "/dow", "/time-of-day", "/distance", "/duration", "/stations")}
    cases["overview/trips"] = (f"{API}/overview/trips", {"timezone": "Europe/Paris"})
    cases["overview/users"] = (f"{API}/overview/users", {"timezone": "Europe/Paris"})
    # The whole city at zoom 0 (the bench's clusters sit on a diagonal from 45.0, 4.0), a district at zoom 1, a few
    # streets at zoom 2, as a map zoomed in shows them (bench/trips.py).
    for zoom, size in ((0, 0.6), (1, 0.1), (2, 0.01)):
        cases[f"heatmap 365 days, zoom {zoom}"] = (f"{API}/heatmap", {"lat": 45.1, "lng": 4.1, "latDeg": size,
                                                                      "lngDeg": size, "zoom": zoom, **dates})
    return cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8094)
    parser.add_argument("--only", help="only the cases whose name contains this")
    args = parser.parse_args()
    networks = list(Network.objects.filter(name__in=["Bench City", "Winter Town", "Metro"]).order_by("pk"))
    callers = {"superuser": staff_member("bench-matrix-admin@fleetadmin.local", [], superuser=True),
               "staff": staff_member("bench-matrix-staff@fleetadmin.local", networks)}
    sets = [[network] for network in networks] + [networks]
    cases = requests(date.today())
    if args.only:
        cases = {name: case for name, case in cases.items() if args.only in name}
    with production_server(workers=args.workers, port=args.port) as (base, _master):
        clients = {name: Client(base, login(base, user.email), gzip=True) for name, user in callers.items()}
        for client in clients.values():  # each worker's first requests (imports, grants, prepared statements)
            for _ in range(args.workers * 5):
                client.json(f"{API}/overview/trips", {"networks": networks[0].pk, "timezone": "Europe/Paris"})
        print("| networks | request | superuser median / p95 ms | staff median / p95 ms | on the wire | JSON |")
        print("|---|---|---:|---:|---:|---:|")
        for members in sets:
            label = "all three" if len(members) > 1 else members[0].name
            for name, (path, params) in cases.items():
                query = {"networks": ",".join(str(network.pk) for network in members), **params}
                durations = {caller: [] for caller in clients}
                for repetition in range(args.repeat):
                    order = list(clients.items())
                    for caller, client in order if repetition % 2 else reversed(order):
                        status, body, ms, headers = client.get(path, query)
                        assert status == 200, (path, query, status, body[:300])
                        durations[caller].append(ms)
                wire = len(body)
                plain = len(gzip.decompress(body)) if headers.get("Content-Encoding") == "gzip" else wire
                cells = []
                for caller in ("superuser", "staff"):
                    values = sorted(durations[caller])
                    p95 = values[max(int(len(values) * 0.95 + 0.5) - 1, 0)]
                    cells.append(f"{statistics.median(values):.0f} / {p95:.0f}")
                print(f"| {label} | {name} | {cells[0]} | {cells[1]} | {wire / 1000:,.0f} KB | {plain / 1000:,.0f} KB |",
                      flush=True)


if __name__ == "__main__":
    main()
