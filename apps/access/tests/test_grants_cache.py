"""A user's grants are kept in the shared cache between requests (issue 20) and dropped at once when anything they
read changes, or when a dated grant starts or ends. Run outside a test transaction, as production requests run."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import assign_perm

from apps.access.tests.factories import make_grant, make_unit
from apps.core.permissions import forget_grants, resolve_scope
from apps.networks.tests.factories import make_network

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _grants_cache_on(settings):
    settings.GRANTS_CACHE_SECONDS = 300  # on by default with Redis only; the tests' cache is one process's


def scope_of(user, key="trips"):
    forget_grants(user)  # a new request: only the shared cache remains
    return resolve_scope(user, key)


def test_grants_come_from_the_cache_until_something_they_read_changes(staff_user):
    mine, later = make_network(), make_network()
    unit = make_unit(networks=[mine])
    grant = make_grant(staff_user, "trips", unit=unit)
    assert scope_of(staff_user).networks == {mine.pk}
    with CaptureQueriesContext(connection) as queries:
        assert scope_of(staff_user).networks == {mine.pk}
    assert len(queries) == 0  # one cache read, no query

    unit.networks.add(later)  # a unit's networks
    assert scope_of(staff_user).networks == {mine.pk, later.pk}
    grant.end_date = timezone.now() - timedelta(seconds=1)  # a grant ended by hand
    grant.save()
    assert scope_of(staff_user).empty
    make_grant(staff_user, "trips", unit=make_unit(app_labels=[mine.app_label]))  # a grant on an app label...
    newcomer = make_network(app_label=mine.app_label)  # ...covers a network created after it, at once
    assert newcomer.pk in scope_of(staff_user).networks


def test_a_dated_grant_ending_or_starting_is_seen_without_any_write(staff_user, monkeypatch):
    network = make_network()
    now = timezone.now()
    make_grant(staff_user, "trips", unit=make_unit(networks=[network]), end_date=now + timedelta(hours=1))
    make_grant(staff_user, "stations", unit=make_unit(networks=[network]), start_date=now + timedelta(hours=2))
    assert scope_of(staff_user).networks == {network.pk} and scope_of(staff_user, "stations").empty
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1, seconds=1))
    assert scope_of(staff_user).empty  # the cached entry lived until the grant's end, not a second more
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2, seconds=1))
    assert scope_of(staff_user, "stations").networks == {network.pk}


def test_object_permissions_drop_the_cache_too(staff_user):
    network = make_network()
    assert scope_of(staff_user).empty
    assign_perm("trips", staff_user, network)
    assert scope_of(staff_user).networks == {network.pk}


def test_inside_a_transaction_that_changed_grants_the_cache_is_not_used(staff_user):
    from django.db import transaction

    network = make_network()
    assert scope_of(staff_user).empty
    with pytest.raises(RuntimeError), transaction.atomic():
        make_grant(staff_user, "trips", unit=make_unit(networks=[network]))
        assert scope_of(staff_user).networks == {network.pk}  # this transaction sees its own grant...
        raise RuntimeError("rolled back")
    assert scope_of(staff_user).empty  # ...and nothing of it was cached
