from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.models import AccessLog
from apps.core.api.pagination import keyset_page

URL = "/api/dashboard/v1/access-logs"


def make_logs(count, *, tie_every=4):
    base = timezone.now() - timedelta(days=1)
    AccessLog.objects.bulk_create([
        AccessLog(date=base + timedelta(minutes=i // tie_every), user_id=(i % 3) + 1, target_path=f"/api/x/{i % 5}",
                  verb="GET" if i % 2 else "POST", user_agent="pytest-agent" if i % 7 else "curl/8", ip=f"10.0.0.{i % 4}",
                  http_code=200 if i % 6 else 404, knot_code=0 if i % 6 else -5, duration_ms=i,
                  # ties on purpose: a third of the rows have no code at all
                  )
        for i in range(count)
    ])


def test_every_request_is_recorded_with_its_envelope_code(admin_client, superuser):
    admin_client.get("/api/dashboard/v1/networks/987654321", HTTP_USER_AGENT="probe/1.0")
    admin_client.get("/api/dashboard/v1/networks/abc")
    admin_client.get("/api/dashboard/v1/no-such-operation")
    admin_client.get("/admin/login/")  # not an API request: not logged
    rows = list(AccessLog.objects.order_by("id"))
    assert [(r.target_path, r.http_code, r.knot_code) for r in rows] == [
        ("/api/dashboard/v1/networks/987654321", 404, -5),
        ("/api/dashboard/v1/networks/abc", 400, -2),
        ("/api/dashboard/v1/no-such-operation", 404, -5),
    ]
    assert rows[0].user_id == superuser.pk and rows[0].user_agent == "probe/1.0" and rows[0].verb == "GET"
    assert rows[0].ip == "127.0.0.1" and rows[0].duration_ms >= 0


def test_anonymous_refusals_are_recorded_too(db, api_client):
    api_client.get(URL)
    row = AccessLog.objects.get()
    assert (row.user_id, row.http_code, row.knot_code) == (None, 401, -3)


def test_walking_all_pages_returns_every_row_once(admin_client):
    make_logs(57)
    seen, last, total = [], None, None
    while True:
        query = {"page_size": 10, **({"last_primary_key": last} if last else {})}
        body = admin_client.get(URL, query).json()
        total = body["total"]
        if not body["data"]:
            break
        seen += [row["id"] for row in body["data"]]
        last = body["data"][-1]["id"]
    # The walk's own requests are logged as it goes; the total of the first page fixes what existed then.
    assert len(seen) == len(set(seen))
    assert seen == sorted(seen, reverse=True)
    assert set(AccessLog.objects.filter(target_path__startswith="/api/x/").values_list("id", flat=True)) <= set(seen)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"verb": "get"}, lambda r: r.verb == "GET"),
        ({"user_id": 2}, lambda r: r.user_id == 2),
        ({"target_path": "/api/x/3"}, lambda r: r.target_path.startswith("/api/x/3")),
        ({"user_agent": "CURL"}, lambda r: "curl" in r.user_agent.lower()),
        ({"ip": "10.0.0.1"}, lambda r: r.ip == "10.0.0.1"),
        ({"http_code_min": 400, "http_code_max": 404}, lambda r: 400 <= r.http_code <= 404),
        ({"knot_code_max": -1}, lambda r: r.knot_code is not None and r.knot_code <= -1),
        ({"knot_code_min": 0, "knot_code_max": 0}, lambda r: r.knot_code == 0),
    ],
)
def test_filters(admin_client, query, expected):
    make_logs(40)
    snapshot = [r for r in AccessLog.objects.all() if expected(r)]
    body = admin_client.get(URL, {"page_size": 500, **query}).json()
    assert body["total"] == len(snapshot)
    assert {row["id"] for row in body["data"]} == {r.pk for r in snapshot}


def test_date_filters_are_inclusive_bounds(admin_client):
    make_logs(20, tie_every=1)
    rows = list(AccessLog.objects.order_by("date"))
    low, high = rows[5].date, rows[9].date
    body = admin_client.get(URL, {"date_min": low.isoformat(), "date_max": high.isoformat(), "page_size": 100}).json()
    assert sorted(row["id"] for row in body["data"]) == sorted(r.pk for r in rows[5:10])


def test_query_count_does_not_grow_with_page_size(admin_client):
    make_logs(120)
    counts = []
    for size in (10, 100, 500):
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(URL, {"page_size": size, "last_primary_key": 10**6}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] == counts[2], counts


def test_page_queries_are_bounded(admin_client, django_assert_max_num_queries):
    make_logs(120)
    with django_assert_max_num_queries(6):
        admin_client.get(URL, {"page_size": 500})


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("sort_by", [None, "date", "knot_code"])
def test_keyset_walk_with_ties_and_nulls_in_both_directions(db, direction, sort_by):
    make_logs(53)
    AccessLog.objects.filter(duration_ms__in=range(0, 53, 5)).update(knot_code=None)  # NULL sort values
    queryset = AccessLog.objects.all()
    sort_fields = {"date": "date", "knot_code": "knot_code"}
    seen, last = [], None
    while True:
        params = {"page_size": 7, "primary_key_dir": direction, "sort_by": sort_by, "sort_dir": direction,
                  "last_primary_key": last}
        page = keyset_page(queryset, params, sort_fields)
        assert page.total == 53
        if not page.rows:
            break
        seen += page.rows
        last = page.rows[-1].pk
    assert len(seen) == 53 and len({r.pk for r in seen}) == 53
    if sort_by:
        values = [getattr(r, sort_by) for r in seen]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=direction == "DESC")
        assert values[len(present):] == [None] * (len(values) - len(present))  # NULLs last


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_row_is_one_insert_without_begin_or_commit(django_user_model):
    """Production runs requests in autocommit: the access log row costs one statement, not BEGIN/INSERT/COMMIT."""
    from apps.core.testing.clients import client_for

    user = django_user_model.objects.create_superuser(email="root@example.com", password="correct horse battery")
    inserts = []

    def spy(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "audit_accesslog"'):
            inserts.append(context["connection"].in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        client_for(user).get("/api/dashboard/v1/networks")
    assert inserts == [False]  # one INSERT, in autocommit: no transaction opened around it


def test_the_row_is_written_once_the_answer_is_sent_and_a_failure_only_logged(db, caplog, monkeypatch):
    """The server calls the response's close() after its last byte: the client never waits on the INSERT. A row
    that cannot be written is logged, and close() (which swallows its closers' errors) still completes."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.http import HttpResponse
    from django.test import RequestFactory

    from apps.audit import middleware

    def close(response):
        # As the test client does: the signal close() sends would close the test's connection (in its transaction).
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)

    def answer_with(request):
        return HttpResponse(b"{}", status=201, content_type="application/json")

    request = RequestFactory().post("/api/dashboard/v1/networks?x=1", HTTP_USER_AGENT="probe/2.0")
    request.user = AnonymousUser()
    response = middleware.AccessLogMiddleware(answer_with)(request)
    assert not AccessLog.objects.exists()
    close(response)
    row = AccessLog.objects.get()
    assert (row.api, row.target_path, row.verb, row.http_code, row.knot_code, row.user_agent, row.user_id) == (
        "dashboard", "/api/dashboard/v1/networks?x=1", "POST", 201, 0, "probe/2.0", None)

    def refuse(connection, row):
        raise RuntimeError("no room")

    monkeypatch.setattr(middleware, "_insert", refuse)
    response = middleware.AccessLogMiddleware(answer_with)(RequestFactory().get("/api/business-mobile/v1/x"))
    with caplog.at_level("ERROR", logger="fleetadmin.audit"):
        close(response)
    assert response.closed and AccessLog.objects.count() == 1
    assert "Could not write the access log row for GET /api/business-mobile/v1/x" in caplog.text


def test_rows_past_their_retention_are_deleted_in_batches(db, settings, monkeypatch):
    import io

    from django.core.management import call_command

    from apps.audit import retention
    from apps.audit.tasks import prune_old_access_logs

    make_logs(10)  # a day old
    old = AccessLog.objects.order_by("id")[:7]
    AccessLog.objects.filter(id__in=[row.id for row in old]).update(date=timezone.now() - timedelta(days=200))
    monkeypatch.setattr(retention, "BATCH", 3)  # three batches for seven rows
    settings.ACCESS_LOG_RETENTION_DAYS = 180
    assert prune_old_access_logs() == 7 and AccessLog.objects.count() == 3
    assert prune_old_access_logs() == 0  # idempotent
    out = io.StringIO()
    call_command("prune_access_logs", "--days", "0", stdout=out)  # 0 keeps everything
    assert AccessLog.objects.count() == 3 and out.getvalue().startswith("0 ")
    call_command("prune_access_logs", "--days", "100", stdout=io.StringIO())
    assert AccessLog.objects.count() == 3  # a day old: kept
