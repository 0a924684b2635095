"""The contract's check that a refused request wrote nothing (apps.core.testing.contract.expect_no_writes)."""
import pytest
from django.db import transaction

from apps.core.testing.contract import database_state, expect_no_writes
from apps.networks.models import Network
from apps.networks.tests.factories import make_network


def _fails(check):
    with pytest.raises(AssertionError, match="a refused write changed the database"):
        check()


def test_a_row_kept_is_seen(db):
    check = expect_no_writes()
    make_network()
    _fails(check)


def test_an_update_keeping_updated_at_is_seen(db):
    network = make_network(name="Before")
    check = expect_no_writes()
    Network.objects.filter(pk=network.pk).update(name="After")  # update() keeps updated_at
    _fails(check)


def test_a_delete_is_seen(db):
    network = make_network()
    check = expect_no_writes()
    Network.objects.filter(pk=network.pk).delete()
    _fails(check)


def test_a_write_rolled_back_changes_nothing(db):
    make_network()
    check = expect_no_writes()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_network()  # written, then undone with its savepoint: a create refused once saved
        raise RuntimeError
    check()


def test_nothing_written_passes_and_keeps_later_writes(db):
    check = expect_no_writes()
    Network.objects.count()
    check()
    network = make_network()
    assert Network.objects.filter(pk=network.pk).exists()


def test_database_state_digests_content(db):
    network = make_network(name="Before")
    before = database_state()
    Network.objects.filter(pk=network.pk).update(name="After")
    assert database_state() != before


def test_outside_a_transaction_the_watch_refuses_to_run(django_db_blocker):
    # Database access without the test's transaction (no query runs: the watch refuses first).
    with django_db_blocker.unblock(), pytest.raises(AssertionError, match="inside the test's transaction"):
        expect_no_writes()
