"""A web worker's full garbage collections while it serves listTrips at 10M trips, with and without freezing what
its first requests keep (apps.core.collector).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/collector.py [--requests 400]

Uses the networks bench/trips.py seeds. Loads the project as fleetadmin.wsgi does (gc.freeze() once loaded), then
sends listTrips requests of four kinds (all the networks, sorted by distance with a range, cancelled ones by end
time, one network by duration) through Django's test client as a staff member, and prints each full collection's
pause. Run it twice: `--schedule` connects the schedule of fleetadmin.wsgi (the worker's 1st, 10th, 100th...
request), without it only the load-time freeze is done.
"""
import argparse
import gc
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()
gc.freeze()  # as fleetadmin.wsgi, once the project is loaded

from rest_framework.test import APIClient  # noqa: E402

from bench.server import staff_member  # noqa: E402

from apps.core.collector import freeze_what_requests_keep  # noqa: E402
from apps.networks.models import Network  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--schedule", action="store_true", help="freeze after the 1st, 10th, 100th... request")
    args = parser.parse_args()
    if args.schedule:
        freeze_what_requests_keep()
    networks = list(Network.objects.filter(name__in=["Bench City", "Winter Town", "Metro"]).order_by("pk"))
    every = ",".join(str(network.pk) for network in networks)
    client = APIClient()
    client.force_authenticate(staff_member("bench-collector-staff@fleetadmin.local", networks))
    queries = [{"networks": every}, {"networks": every, "sort_by": "distance", "distance_min": 8000},
               {"networks": every, "state": "cancelled", "sort_by": "end_date"},
               {"networks": networks[0].pk, "sort_by": "duration"}]
    pauses, started = [], [0.0]

    def timed(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        elif info["generation"] == 2:
            pauses.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(timed)
    begun = time.perf_counter()
    for n in range(args.requests):
        assert client.get("/api/dashboard/v1/trips", queries[n % len(queries)]).status_code == 200
    seconds = time.perf_counter() - begun
    gc.callbacks.remove(timed)
    print(f"{args.requests} requests in {seconds:.1f} s, schedule {'on' if args.schedule else 'off'}: "
          f"{len(pauses)} full collections, {' '.join(f'{pause:.1f}' for pause in pauses)} ms; "
          f"{len(gc.get_objects()):,} objects within the collector's reach at the end")


if __name__ == "__main__":
    main()
