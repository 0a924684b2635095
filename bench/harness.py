"""What every benchmark shares: timing a request through the whole HTTP stack."""
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def timed(client, url: str, params: dict, repeat: int) -> tuple[float, float, int]:
    """Median and p95 in ms of `repeat` GETs, and the query count of one; every answer must be a success."""
    durations, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params)
            durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and response.json()["code"] == 0, response.content[:300]
        queries = len(ctx)
    durations.sort()
    return statistics.median(durations), durations[max(int(len(durations) * 0.95) - 1, 0)], queries


def sql_median(sql: str, params, repeat: int) -> float:
    """Median in ms of `repeat` runs of `sql` (fetching every row), straight on the connection."""
    durations = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)
