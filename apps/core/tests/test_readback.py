"""The generated success case of a write reads back what it saved (apps.core.testing.readback): a service that does
nothing, or saves another value than the one sent, fails it. And every write the dashboard serves has such a case."""
from unittest.mock import patch

import pytest

from apps.core.catalog import get_operation
from apps.core.management.commands.api_coverage import served_operations
from apps.core.testing.clients import client_for
from apps.core.testing.contract import send
from apps.core.testing.readback import WriteWatch, assert_read_back
from apps.organizations import services as organization_services
from apps.organizations.tests.test_api_contract import CASES as ORGANIZATION_CASES

from .test_access_matrix_coverage import declared_cases

PAYMENTS = next(case for case in ORGANIZATION_CASES if case.operation_id == "updateOrganizationPayments")


def _read_back_after(superuser, service):
    request = PAYMENTS.request()
    watch = WriteWatch()
    with patch.object(organization_services, "payments_update", service):
        response = send(client_for(superuser), PAYMENTS.operation, request)
    assert response.json()["code"] == 0, response.content
    assert_read_back(PAYMENTS, request, response.json(), watch)


def test_the_real_service_passes(superuser):
    _read_back_after(superuser, organization_services.payments_update)


def test_a_service_that_does_nothing_fails(superuser):
    with pytest.raises(AssertionError, match="wrote nothing"):
        _read_back_after(superuser, lambda **values: values["organization"])


def test_a_service_that_saves_another_value_fails(superuser):
    real = organization_services.payments_update

    def halves_the_ratio(**values):
        return real(**{**values, "paid_outside_rules_ratio": values["paid_outside_rules_ratio"] / 2})

    with pytest.raises(AssertionError, match="paid_outside_rules_ratio sent 0.25"):
        _read_back_after(superuser, halves_the_ratio)


def test_every_dashboard_write_has_a_success_case_that_reads_back():
    """The count of issue 37's closing note: write operations whose generated success case reads back the saved state
    (test_succeeds_inside_the_envelope runs assert_read_back for each)."""
    writes = {op for op in served_operations().values()
              if get_operation(op).api == "dashboard" and get_operation(op).write}
    assert len(writes) >= 165
    assert writes <= set(declared_cases())
