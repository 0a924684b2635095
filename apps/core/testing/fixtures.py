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


# The demo data (seed_demo, ~40 s here) is loaded once per test database, i.e. once per xdist worker, in a transaction
# held open to the end of the session and then rolled back; each test that uses it runs in a savepoint of that
# transaction, as any `db` test does. Tests that use it are collected last (pytest_collection_modifyitems below) and
# xdist hands each worker its tests in collection order, so no test that expects an empty database runs after it;
# _demo_loaded_last checks that instead of trusting it.
_DEMO_LOADED = False


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker):
    global _DEMO_LOADED
    from django.core.management import call_command
    from django.db import connection, transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # a test's transaction, not the code's (apps.payments.attempts)
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            # Check the demo's deferred foreign keys now, once. Left pending in this session-wide transaction, they
            # would be checked again by every test's teardown (Django's TestCase runs SET CONSTRAINTS ALL IMMEDIATE
            # inside the test's savepoint, whose rollback queues them again): ~1 s per test.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            _DEMO_LOADED = True
            yield
        finally:
            _DEMO_LOADED = False
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo_data(_demo_database, db):
    """The demo networks (open and closed), in a database that holds the whole demo data set."""
    from apps.networks.models import Network

    return list(Network.objects.order_by("pk"))


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: "_demo_database" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def _demo_loaded_last(request):
    if _DEMO_LOADED and "_demo_database" not in request.fixturenames:
        pytest.fail("A test that expects no demo data ran after the demo data was loaded: "
                    "tests using demo_data must be collected last (see apps.core.testing.fixtures).")
