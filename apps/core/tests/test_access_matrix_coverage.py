"""Every operation the URLconf serves is covered by the generated contract and access matrix."""
import importlib
import pkgutil

from django.conf import settings

from apps.core.catalog import get_operation
from apps.core.management.commands.api_coverage import served_operations


def declared_cases():
    cases = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("apps."):
            continue
        try:
            tests = importlib.import_module(f"{app}.tests")
        except ModuleNotFoundError:
            continue
        for module in pkgutil.iter_modules(tests.__path__):
            if module.name.startswith("test_"):
                loaded = importlib.import_module(f"{app}.tests.{module.name}")
                cases.update({case.operation_id: case for case in getattr(loaded, "CASES", [])})
    return cases


def test_every_served_operation_has_a_contract_case():
    # The mobile API has its own envelope and rider-only access; its tests live in apps/trips/tests/test_mobile.py.
    served = {op for op in served_operations().values() if get_operation(op).api == "dashboard"}
    missing = sorted(served - set(declared_cases()))
    assert not missing, f"operations served without a contract case (and so without the access matrix): {missing}"


def test_the_matrix_covers_every_permission_operation_served():
    permission_ops = [op for op in served_operations().values() if get_operation(op).access == "permission"]
    assert permission_ops
    assert set(permission_ops) <= set(declared_cases())
