"""Assertions on PostgreSQL's plan of a query: that an index serves it, in the order asked, without sorting the
table. The test database is small, so the planner would rightly prefer a sequential scan and a sort; with those
switched off for the EXPLAIN (`enable_seqscan`, `enable_sort`, `enable_incremental_sort`), a Sort that still appears means no index can serve
the query's order, and the index named is the one PostgreSQL would use on a big table."""
import json

from django.db import connection, transaction


def plan_of(sql: str, params=()) -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        # Not a way around it either: with statistics (autovacuum analyzes the test tables during a long run) the
        # planner may read another index and finish the order with an incremental sort.
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def assert_served_by_index(sql: str, index: str, params=()) -> None:
    """The query reads `index` and sorts nothing (no Sort or Incremental Sort node)."""
    plan = plan_of(sql, params)
    kinds = [(node["Node Type"], node.get("Index Name")) for node in nodes(plan)]
    assert any(name == index for _kind, name in kinds), f"{index} not used: {kinds}"
    assert not any("Sort" in kind for kind, _name in kinds), f"the rows are sorted: {kinds}"
