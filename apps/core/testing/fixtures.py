import io

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from .clients import client_for


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Login-failure counters and throttles live in the cache; no test sees another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    from fleetadmin.celery import app

    # Celery reads its configuration once; the running app must be told too.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(email="root@example.com", password="correct horse battery")


@pytest.fixture
def staff_user(db, django_user_model):
    """Logged in, but holding no permission."""
    return django_user_model.objects.create_user(email="staff@example.com", password="correct horse battery",
                                                 is_staff=True)


@pytest.fixture
def admin_client(superuser):
    return client_for(superuser)


@pytest.fixture
def staff_client(staff_user):
    return client_for(staff_user)


# The finer axes of the matrix (issue 19), counted apart in the summary line.
CLUSTER_AXIS = "test_grant_limited_to_another_cluster_reaches_none_of_its_rows"
MOVED_AXIS = "test_history_in_another_network_shows_nowhere"
SHARED_RIDER_AXIS = "test_rider_shared_with_another_network_shows_only_this_side"
MATRIX_TESTS = {
    "test_anonymous_is_refused", "test_user_without_grant_is_refused", "test_grant_on_another_network_sees_nothing",
    "test_read_only_grant_cannot_write", "test_grant_outside_its_dates_gives_nothing", "test_global_grant_succeeds",
    CLUSTER_AXIS, MOVED_AXIS, SHARED_RIDER_AXIS,
}


def pytest_terminal_summary(terminalreporter):
    """Say how many operations the generated access matrix ran over (issue 3: "the report shows the count"), and
    how many checks the cluster-limited, moved-object (issue 19) and shared-rider (issue 33) axes passed."""
    operations, counts = set(), {"passed": 0, "failed": 0}
    axes = {CLUSTER_AXIS: 0, MOVED_AXIS: 0, SHARED_RIDER_AXIS: 0}
    for outcome in counts:
        for report in terminalreporter.stats.get(outcome, []):
            if report.when != "call":
                continue
            name = report.nodeid.split("::")[-1]
            test = name.split("[")[0]
            if test in MATRIX_TESTS:
                operations.add(name.split("[", 1)[1].split("-")[0].rstrip("]"))
                counts[outcome] += 1
                if test in axes and outcome == "passed":
                    axes[test] += 1
    if operations:
        terminalreporter.write_line(
            f"access matrix: {len(operations)} operations, {counts['passed']} checks passed, "
            f"{counts['failed']} failed (of which cluster-limited grant: {axes[CLUSTER_AXIS]} passed, "
            f"moved object: {axes[MOVED_AXIS]} passed, shared rider: {axes[SHARED_RIDER_AXIS]} passed)")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded files (cluster pictures, ...) go to a per-test folder, never into the checkout.
    settings.MEDIA_ROOT = str(tmp_path / "media")


# The demo data (seed_demo, ~15 s here) is loaded once for the tests that read it, in a transaction held open while
# they run and then rolled back; each of them runs in a savepoint of that transaction, as any `db` test does. They are
# collected together, after the other `db` tests and before the transactional ones (pytest_collection_modifyitems
# below), and xdist hands each worker its tests in collection order: each worker loads the demo once. Should another
# test come after all (a crashed worker's tests handed over), the demo is rolled back first and loaded again after.
class _DemoDatabase:
    opened = None  # the handle whose transaction is open

    def __init__(self, django_db_blocker):
        self.blocker, self.atomic = django_db_blocker, None

    def open(self) -> None:
        from django.core.management import call_command
        from django.db import connection, transaction

        if self.atomic is not None:
            return
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # a test's transaction, not the code's (apps.payments.attempts)
            atomic.__enter__()
            try:
                call_command("seed_demo", stdout=io.StringIO())
                # Check the demo's deferred foreign keys now, once. Left pending in this transaction, they would be
                # checked again by every test's teardown (Django's TestCase runs SET CONSTRAINTS ALL IMMEDIATE inside
                # the test's savepoint, whose rollback queues them again): ~1 s per test.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        self.atomic, _DemoDatabase.opened = atomic, self

    def close(self) -> None:
        from django.db import transaction

        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic, _DemoDatabase.opened = None, None


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker):
    """The demo data's handle: `open()` loads it (once), `close()` rolls it back."""
    demo = _DemoDatabase(django_db_blocker)
    yield demo
    demo.close()


@pytest.fixture
def demo_data(_demo_database, db):
    """The demo networks (open and closed), in a database that holds the whole demo data set."""
    from apps.networks.models import Network

    return list(Network.objects.order_by("pk"))


@pytest.fixture(autouse=True)
def _demo_only_where_asked(request):
    # Autouse fixtures come first: the demo's transaction is opened (or closed) before the test's own.
    if "_demo_database" in request.fixturenames:
        request.getfixturevalue("_demo_database").open()
    elif _DemoDatabase.opened is not None:
        _DemoDatabase.opened.close()


def _is_plain_db_test(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    marked = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    return "db" in names and not (marked or "transactional_db" in names or "live_server" in names)


def pytest_collection_modifyitems(items):
    # After pytest-django's order (db tests, transactional ones, the rest): the demo's tests move to the end of the
    # db tests, so that no transactional test (which commits, and flushes the tables after) runs inside the demo's
    # transaction, and none flushes the reference data (loaded by migrations) before the demo needs it.
    demo = [item for item in items if "_demo_database" in getattr(item, "fixturenames", ())]
    others = [item for item in items if "_demo_database" not in getattr(item, "fixturenames", ())]
    cut = next((index for index, item in enumerate(others) if not _is_plain_db_test(item)), len(others))
    items[:] = others[:cut] + demo + others[cut:]
