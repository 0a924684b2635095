"""The contract and access matrix of the Devtools operations."""
from apps.applabels.tests.factories import make_app_label
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.devtools.models import AppReport, AppVersion


def make_app_report(app_label=None, **fields):
    fields.setdefault("platform", "android")
    fields.setdefault("app_version", 412)
    fields.setdefault("message", "NullPointerException in TripScreen")
    return AppReport.objects.create(app_label=app_label or make_app_label(), **fields)


def _versioned():
    AppVersion.objects.create(app_label=make_app_label(), platform="ios", current=420, minimal=400)
    return Request()


CASES = [
    OperationCase("listAppReports", lambda: (make_app_report(), Request())[1]),
    OperationCase("resolveAppReports", lambda: Request(body={"reports": [make_app_report().pk, make_app_report().pk]})),
    OperationCase("listAppVersions", _versioned),
    OperationCase("updateAppVersion", lambda: Request(body={"app_label_id": make_app_label().pk, "platform": "android",
                                                            "current": 430, "minimal": 410})),
]

globals().update(contract_tests(CASES))
