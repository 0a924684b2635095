"""Fixtures for giving test users rights, registered from the root conftest.py (used by the generated
access matrix of apps.core.testing.contract, and by any app's own scope tests)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.networks.tests.factories import make_network

from .factories import make_grant, make_unit


@pytest.fixture
def grant_access(db):
    """grant_access(user, key, write=..., where="global"|"elsewhere"|unit, when="now"|"expired"|"future")."""

    def give(user, key, *, write=False, where="global", when="now"):
        if where == "global":
            unit = None
        elif where == "elsewhere":
            unit = make_unit(networks=[make_network(name="Somewhere else")])
        else:
            unit = where
        now = timezone.now()
        start, end = {
            "now": (now - timedelta(days=1), None),
            "expired": (now - timedelta(days=10), now - timedelta(days=1)),
            "future": (now + timedelta(days=1), None),
        }[when]
        return make_grant(user, key, write=write, unit=unit, start_date=start, end_date=end)

    return give
