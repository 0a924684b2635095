"""The API fuzzed by Schemathesis over its own OpenAPI document, in process (WSGI), on the demo data.

Every served operation, every check Schemathesis has, its example and fuzzing phases (and its coverage phase
with FLEET_FUZZ_COVERAGE=1) with valid and invalid input, a bounded number of examples per operation: no server
error, no answer that contradicts the schema (status, content type, headers, body), valid input accepted and
invalid input refused. The demo data is
loaded once for the module inside a transaction rolled back at its end; each operation runs in a savepoint.
"""
import os
import json
import re

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test

from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from apps.accounts.services import login
from apps.core.catalog import get_operation
from apps.core.management.commands.api_coverage import served_operations

MAX_EXAMPLES = 8

# Schema-valid requests the server may still refuse with a -2, each for a reason no OpenAPI schema can state.
# A valid request refused with any other message fails the run. (message pattern, why it is not a schema bug)
REFUSALS_OF_VALID_INPUT = [
    (r"^No .+ with (the )?(id|key) .+", "the id or key names a row that does not exist (the fuzzer invents ids)"),
    (r"^(Unknown|No) language '.+'; create it first", "the language named does not exist"),
    (r"^No row of this list has this id\.$", "a keyset cursor naming a row that is not in the list"),
    (r"must (not )?be (before|after)|must not be less than|must be between the trip|^Must be longer than|"
     r"^Must not exceed ",
     "an order between two fields"),
    (r"^Give (both|either|an) ", "fields that go together, exclude each other, or of which one is needed"),
    (r"belong to no network of this unit", "two lists of ids that must match (clusters of the unit's networks)"),
    (r"^Say which network the stock serves", "a parameter the caller's scope makes necessary (several networks)"),
    (r"^Cannot both add and remove", "the same key in the list to add and the list to remove"),
    (r"^A shape |^The polygon |^The shape is not a simple polygon|distinct points|no area",
     "the geometry of a polygon (self-intersection, area)"),
    (r"^No label of this size fits", "a label size that does not fit an A4 page (two fields together)"),
    (r"^Null characters are not allowed\.$", "NUL characters, which PostgreSQL text cannot store"),
    (r"^The period is limited to \d+ days\.$", "the longest period between two dates (two fields together)"),
    (r"^Speeds must be ordered|^A percentage discount is at most 100\.$",
     "an order between speeds; a percentage cap that depends on the discount's type (fields together)"),
    (r"^Pictures must be |^The file is not a readable (image|PDF)\.$|^The picture (has too many pixels|is larger than)",
     "the content of an uploaded file (format, pixels, size), which a schema cannot describe"),
    (r"^The pattern must not end with an escape character", "a LIKE pattern's escape syntax"),
    (r"^Must be between 0001-01-02 and 9999-12-30\.$",
     "the calendar's first and last day (a day is added or taken off in any time zone; `format: date` has no bounds)"),
    (r"^(Line \d+: |Unknown variable)|^\w+: (Line \d+: |Unknown variable)",
     "a mail template that does not parse or uses a variable it is not given: a schema cannot describe a template"),
    (r"^Must be at least [0-9.]+ [A-Z]{3}, the currency's smallest unit\.$",
     "an amount below the smallest unit of the currency another field names (0.01 EUR, 1 JPY)"),
    (r"latitude must be between -90 and 90",
     "a point's latitude: OpenAPI 3.0 cannot type the two items of a pair apart"),
]
# The coverage phase walks every boundary and enum value of every parameter (500-600 requests for an operation
# with a time zone); it takes ~10 minutes on two workers, twice the rest of the suite, so it runs when asked:
# FLEET_FUZZ_COVERAGE=1 ./fleet test apps/core/tests/test_fuzz.py
MODES = [HypothesisTestMode.EXAMPLES, HypothesisTestMode.FUZZING] + (
    [HypothesisTestMode.COVERAGE] if os.environ.get("FLEET_FUZZ_COVERAGE") == "1" else [])
# Cases drawn from the schema alone, not from earlier answers (ids captured from other operations' responses):
# the same cases whatever order the operations run in (pytest-xdist shares them between workers).
# Invalid input may also be refused as 414 (a query string over MAX_QUERY_STRING: apps.core.limits), as documented.
FUZZ_CONFIG = SchemathesisConfig.from_dict(
    {"phases": {phase: {"extra-data-sources": {"responses": False}} for phase in ("examples", "coverage", "fuzzing")},
     "checks": {"negative_data_rejection": {"expected-statuses": [
         "400", "401", "403", "404", "405", "406", "409", "414", "415", "422", "428", "429", "5xx"]}}})
FUZZ_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def demo_token(_demo_database, django_db_blocker):
    # The superuser is made once for the module, in a savepoint of the demo's transaction rolled back at its end.
    _demo_database.open()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # a test's transaction, not the code's (apps.payments.attempts)
        atomic.__enter__()
        try:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.create_superuser(email="fuzzer@example.com", password="fuzz the api 42")
            raw, _ = login(email=user.email, password="fuzz the api 42", ip="127.0.0.1")
            yield raw
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def api_schema(django_db_setup, django_db_blocker):
    from fleetadmin.wsgi import application

    # Like Django's test client: a request must not close the connection that holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock():
            yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=FUZZ_CONFIG)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


OPERATIONS = sorted(served_operations().items(), key=lambda item: item[1])


@pytest.mark.django_db
@pytest.mark.parametrize("method, path, operation_id", [(m, p, op) for (m, p), op in OPERATIONS],
                         ids=[op for _, op in OPERATIONS])
def test_operation_answers_as_its_schema_says(method, path, operation_id, api_schema, demo_token):
    operation = api_schema[path][method]
    headers = {} if get_operation(operation_id).access == "public" else {"Authorization": f"Bearer {demo_token}"}
    # Schemathesis' WSGI client asks for gzip and reads the body as it comes; large answers are gzipped for clients
    # that accept it (apps.core.compression, tested in apps.stats.tests.test_overview): this client asks for none.
    headers["Accept-Encoding"] = "identity"

    def check(case):
        response = case.call(headers=headers)
        case.validate_response(response, excluded_checks=[positive_data_acceptance], headers=headers)
        if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
            assert_valid_input_accepted(case, response)

    config = HypothesisTestConfig(project=api_schema.config, modes=MODES, settings=FUZZ_SETTINGS)
    create_test(operation=operation, test_func=check, config=config)()


def assert_valid_input_accepted(case, response) -> None:
    if response.status_code != 400:
        return
    body = response.json()
    if "Result" in body:  # the mobile envelope names no field: a guid PostgreSQL cannot read, or a NUL character
        sent = json.dumps(case.body, default=str)  # a GET sends no body (schemathesis' NotSet)
        assert body.get("Message") == "The trip guid is malformed." or "\\u0000" in sent, (
            case.as_curl_command(), body)
        return
    messages = [m for ms in body["message"].get("fields", {}).values() for m in ms] or [body["message"]["text"]]
    unexplained = [m for m in messages if not any(re.search(p, m) for p, _ in REFUSALS_OF_VALID_INPUT)]
    assert not unexplained, f"valid input refused: {unexplained}\n{case.as_curl_command()}"
