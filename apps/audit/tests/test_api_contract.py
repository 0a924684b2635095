from django.utils import timezone

from apps.audit.models import AccessLog
from apps.core.testing.contract import OperationCase, Request, contract_tests


def _with_a_logged_request():
    # A row for the superuser's reference answer: the scope test must compare against something.
    AccessLog.objects.create(date=timezone.now(), target_path="/api/dashboard/v1/networks", verb="GET",
                             http_code=200, knot_code=0, duration_ms=3)
    return Request(query={"page_size": 10, "http_code_min": 0})


CASES = [
    OperationCase("listAccessLogs", _with_a_logged_request),
]

globals().update(contract_tests(CASES))
