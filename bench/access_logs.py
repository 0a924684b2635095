"""Benchmark listAccessLogs through the whole HTTP stack at a realistic size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/access_logs.py --rows 1000000
    (create and migrate that database first: DATABASE_URL=… ./fleet manage migrate)

Seeds ROWS access-log rows with one INSERT … SELECT generate_series (seconds, not minutes), then times the first
page, a page deep into the table, and filtered pages, printing median, p95 and the query count of each.
The rows it adds are tagged (target_path under /bench/) and removed at the end.
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

from bench.harness import timed  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.audit.models import AccessLog  # noqa: E402


def seed(rows: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO audit_accesslog (date, user_id, target_path, verb, user_agent, ip, http_code, knot_code, duration_ms)
            SELECT now() - (g || ' seconds')::interval, 1 + g %% 500, '/bench/api/' || (g %% 40), 
                   (ARRAY['GET','POST','PUT','DELETE'])[1 + g %% 4], 'bench-agent/' || (g %% 7), '10.0.' || (g %% 200) || '.1',
                   (ARRAY[200,200,200,400,404,409])[1 + g %% 6], (ARRAY[0,0,0,-2,-5,-6])[1 + g %% 6], g %% 900
            FROM generate_series(1, %s) AS g
            """,
            [rows],
        )
        cursor.execute("ANALYZE audit_accesslog")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    admin, _ = User.objects.get_or_create(email="bench@fleetadmin.local", defaults={"is_superuser": True, "is_staff": True})
    admin.is_superuser = True
    admin.save()
    client = APIClient()
    client.force_authenticate(admin)
    started = time.perf_counter()
    seed(args.rows)
    print(f"seeded {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
    deep_pk = AccessLog.objects.order_by("-id").values_list("id", flat=True)[args.rows // 2]
    cases = {
        "first page, 20 rows": {},
        "first page, 500 rows": {"page_size": 500},
        f"page after the {args.rows // 2:,}th row": {"last_primary_key": deep_pk},
        "filter user_id": {"user_id": 42},
        "filter http_code 400..499": {"http_code_min": 400, "http_code_max": 499},
        "filter path prefix": {"target_path": "/bench/api/3"},
    }
    try:
        print(f"{'case':40} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
        for name, params in cases.items():
            median, p95, queries = timed(client, "/api/dashboard/v1/access-logs", params, args.repeat)
            print(f"{name:40} {median:10.1f} {p95:10.1f} {queries:8}")
    finally:
        AccessLog.objects.filter(target_path__startswith="/bench/").delete()


if __name__ == "__main__":
    main()
