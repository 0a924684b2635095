"""listTrips at 10M trips: every single filter under every sort key, first page and 1,000 rows deep, per network.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/trips_matrix.py \
        [--network "Bench City" ...] [--repeat 5] [--markdown]

Uses the networks bench/trips.py seeds (the 10M data set of docs/performance.md: "Bench City" 1M trips active,
"Winter Town" 2M paused 120 days, "Metro" 7M over two years, seeded last so it owns the newest ids). Each case is
timed through the whole HTTP stack (Django test client) `--repeat` times, the answer's `total` included; the
"deep" page starts after the 1,000th row of the same order (found through the API, not timed). Prints each case's
median and p95 in ms and, per network, the worst p95 and the cases over the 150 ms aim.
"""
import argparse
import os
import sys
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.harness import as_a_worker, timed_get  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.trips.models import Trip  # noqa: E402

URL = "/api/dashboard/v1/trips"
SORTS = [None, "start_date", "end_date", "duration", "distance"]
AIM_MS = 150


def filters_of(network: Network) -> dict[str, dict]:
    """One realistic value per listTrips filter, from the network's own data."""
    trips = Trip.objects.filter(network=network)
    span = trips.aggregate(first=Min("started_at"), last=Max("started_at"), low=Min("id"), high=Max("id"))
    sample = trips.select_related("rider", "vehicle__model", "start_cluster", "end_cluster").order_by("-id")[5000]
    month_before_end = (span["last"] - timedelta(days=30)).isoformat()
    early = (span["first"] + timedelta(days=30)).isoformat()
    middle = (span["low"] + span["high"]) // 2
    return {
        "state=cancelled": {"state": "cancelled"},
        "demo=true": {"demo": "true"},
        "start_date_min (last 30 days)": {"start_date_min": month_before_end},
        "start_date_max (first 30 days)": {"start_date_max": early},
        "end_date_min (last 30 days)": {"end_date_min": month_before_end},
        "end_date_max (first 30 days)": {"end_date_max": early},
        "trip_id_min (newer half)": {"trip_id_min": middle},
        "trip_id_max (older half)": {"trip_id_max": middle},
        "serial_number": {"serial_number": sample.vehicle.serial_number},
        "model_name (every trip)": {"model_name": sample.vehicle.model.name},
        "email (substring)": {"email": sample.rider.email.split("@")[0]},
        "user_id": {"user_id": sample.rider_id},
        "cluster_start_name (substring)": {"cluster_start_name": sample.start_cluster.name},
        "cluster_start_id": {"cluster_start_id": sample.start_cluster_id},
        "cluster_end_name (substring)": {"cluster_end_name": sample.end_cluster.name},
        "cluster_end_id": {"cluster_end_id": sample.end_cluster_id},
        "duration_min=2000": {"duration_min": 2000},
        "duration_max=300": {"duration_max": 300},
        "distance_min=8000": {"distance_min": 8000},
        "distance_max=500": {"distance_max": 500},
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--network", action="append", help="a network's name (default: every seeded one)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--filters", help="only the filters whose case name contains this")
    args = parser.parse_args()
    as_a_worker()
    admin, _ = User.objects.get_or_create(email="bench@fleetadmin.local", defaults={"is_superuser": True, "is_staff": True})
    client = APIClient()
    client.force_authenticate(admin)
    names = args.network or ["Bench City", "Winter Town", "Metro"]
    print(f"{Trip.objects.count():,} trips in the table, {timezone.now():%Y-%m-%d %H:%M}")
    for network in Network.objects.filter(name__in=names).order_by("pk"):
        cases = {"no filter": {}, **filters_of(network)}
        if args.filters:
            cases = {name: params for name, params in cases.items() if args.filters in name}
        print(f"\n## {network.name} ({Trip.objects.filter(network=network).count():,} trips)\n")
        print(f"| filter | sort | first page median / p95 ms | 1,000 deep median / p95 ms | total |")
        print("|---|---|---:|---:|---:|")
        worst, over = [], []
        for case, params in cases.items():
            for sort in SORTS:
                query = {"networks": network.pk, **params, **({"sort_by": sort} if sort else {})}
                first_median, first_p95, _q, response = timed_get(client, URL, args.repeat, params=query)
                body = response.json()
                assert body["code"] == 0, body
                rows, cells = body["data"], [f"{first_median:.0f} / {first_p95:.0f}"]
                deep = None
                if len(rows) == 20 and body.get("total", 0) > 1000:
                    walk = client.get(URL, {**query, "page_size": 500}).json()["data"]
                    walk += client.get(URL, {**query, "page_size": 500,
                                             "last_primary_key": walk[-1]["id"]}).json()["data"]
                    deep = walk[999]["id"]
                if deep is not None:
                    deep_median, deep_p95, _q, _r = timed_get(client, URL, args.repeat,
                                                              params={**query, "last_primary_key": deep})
                    cells.append(f"{deep_median:.0f} / {deep_p95:.0f}")
                    worst.append(deep_p95)
                    if deep_p95 > AIM_MS:
                        over.append(f"{case}, {sort or 'id'}, deep: {deep_p95:.0f}")
                else:
                    cells.append("-")
                worst.append(first_p95)
                if first_p95 > AIM_MS:
                    over.append(f"{case}, {sort or 'id'}, first: {first_p95:.0f}")
                print(f"| {case} | {sort or 'id'} | {cells[0]} | {cells[1]} | {body.get('total', '')} |", flush=True)
        print(f"\n{network.name}: {len(worst)} timings, worst p95 {max(worst):.0f} ms, {len(over)} over {AIM_MS} ms")
        for line in over:
            print(f"- {line}")


if __name__ == "__main__":
    main()
