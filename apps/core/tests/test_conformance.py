"""The operations declared in Python hold to the contract's catalog (issue 37).

The seed's operations are declared beside their views (`<app>/api/operations.py`); the catalog they were generated
from stays in docs/api as the contract. These tests read it (apps.core.tests.seed_catalog, the only reader) and
compare, operation by operation: the declarations themselves, then the OpenAPI document the server builds from them
(paths, parameters, types, bounds, enums, nullability, bodies, error statuses).
"""
import json
import re
from dataclasses import asdict
from decimal import Decimal

import pytest

from apps.core import enums
from apps.core.api.params import BIGINT_MAX, BIGINT_MIN, NUMBER_LIMIT
from apps.core.catalog import dashboard_operations, get_operation, mobile_operations

from .seed_catalog import API_DOCS_DIR, seed_operations

SEED = seed_operations()
DASHBOARD_SEED = sorted(op_id for op_id, op in SEED.items() if op.api == "dashboard")
# A parameter's doc in the catalog also prints its default and its values ("Default: 20", 'Enum: "ASC" "DESC"'); a
# declaration says them in its constraint and keeps the prose.
SAID_BY_THE_CONSTRAINT = re.compile(
    r'(?:Items )?(?:Enum|Value):\s*(?:<\d+ values: \S+ \.\.\. \S+>|(?:\s*(?:"[^"]*"|-?\d+)(?=\s|$))+)\s*'
    r'|Default:\s*(?:"[^"]*"|-?\d+(?:\.\d+)?|true|false)\s*')
FORMATS = {"date": "date", "datetime": "date-time", "date-time": "date-time", "email": "email", "uri": "uri",
           "uuid": "uuid", "binary": "binary"}


def test_the_catalog_is_read_by_the_conformance_tests_only():
    """No runtime module names the catalog's files or parses its type strings (the must-show of issue 37)."""
    import ast
    from pathlib import Path

    apps_dir = Path(API_DOCS_DIR).parents[1] / "apps"
    readers = []
    for path in apps_dir.rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        literals = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                    and isinstance(node.value, str) and id(node) not in docstrings]
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} | {
            node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        if any(".json" in text and ("operations" in text or "enums" in text) for text in literals) or (
                names & {"parse_type", "seed_operations", "API_DOCS_DIR"}):
            readers.append(str(path.relative_to(apps_dir)))
    assert readers == []


def test_every_seed_operation_is_declared_once_in_python():
    declared = {**dashboard_operations(), **mobile_operations()}
    assert len(DASHBOARD_SEED) == 295 and len(SEED) == 298
    assert set(SEED) <= set(declared)
    for operations in (dashboard_operations(), mobile_operations()):
        assert len({(o.method, o.path) for o in operations.values()}) == len(operations)


@pytest.mark.parametrize("operation_id", sorted(SEED))
def test_declaration_matches_the_catalog(operation_id):
    seed, declared = SEED[operation_id], get_operation(operation_id)
    for name in ("api", "method", "path", "tag", "access", "permission", "write", "body_content_type", "summary",
                 "description"):
        assert getattr(declared, name) == getattr(seed, name), name
    assert (declared.response_sample or "") == (seed.response_sample or "")
    assert [(p.name, p.location, p.required) for p in declared.params] == [
        (p.name, p.location, p.required) for p in seed.params]
    for seed_param, param in zip(seed.params, declared.params):
        assert asdict(param.constraint) == asdict(seed_param.constraint), param.name
        assert param.doc == SAID_BY_THE_CONSTRAINT.sub("", seed_param.doc).strip(), param.name


def test_the_enumerations_are_the_catalogs():
    catalog = json.loads((API_DOCS_DIR / "enums.json").read_text())
    assert enums.CURRENCIES == tuple(catalog["Currency"])
    assert enums.TIMEZONES == tuple(catalog["Timezone"])
    assert enums.PERMISSIONS == tuple(catalog["Permission"])
    alerts = SEED["listFleetAlertsHistory"]
    assert next(p for p in alerts.params if p.name == "alert_type").constraint.enum == enums.ALERT_TYPES


# --- the OpenAPI document ----------------------------------------------------------------------------------------
def _resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


# Body fields the product adds to a seed operation, each optional (docs/api.md, "Choices where the contract is silent";
# docs/riders.md for the message's channel).
ADDED_BODY_FIELDS = {
    "createStock": {"network_id"},  # the stock's network, where the caller manages several
    "sendUserMessage": {"channel"},  # push, SMS or e-mail; absent, the best the rider can receive
    "createDiscount": {"cumulative", "valid_from_time", "valid_until_time", "organization_ids"},
    "updateDiscount": {"cumulative", "valid_from_time", "valid_until_time", "organization_ids"},
}


# Values the catalog lets be null that the server refuses (docs/api.md, "Choices where the contract is silent").
NULL_REFUSED = {
    "createVirtualParking application/json body network_id",  # a parking of no network would be in no tenant
}


def _within(shown_low, shown_high, low, high, where):
    """A bound the server states is the catalog's, or tighter (a domain rule: apps' refined serializers); where the
    catalog states none, the server states the column's. It never accepts what the catalog refuses."""
    assert shown_low is not None and shown_high is not None, where
    assert low is None or Decimal(str(shown_low)) >= low, where
    assert high is None or Decimal(str(shown_high)) <= high, where


def _expect(constraint, name, shown, where, document):
    """What the catalog says of one value, checked in its OpenAPI schema."""
    shown = _resolve(document, shown or {})
    if "oneOf" in shown:  # a text that may also be empty: DRF's allow_blank beside a format
        assert shown["oneOf"][1] == {"type": "string", "maxLength": 0}, where
        shown = {**shown["oneOf"][0], **{k: v for k, v in shown.items() if k != "oneOf"}}
    kind = constraint.kind
    if constraint.nullable and where not in NULL_REFUSED:
        assert shown.get("nullable") is True, (where, shown)
    if constraint.enum is not None and kind in ("string", "integer"):
        assert shown.get("enum") in (list(constraint.enum), [*constraint.enum, None]), (where, shown)
        return
    if kind == "integer":
        assert shown.get("type") == "integer", (where, shown)
        _within(shown.get("minimum"), shown.get("maximum"), constraint.minimum, constraint.maximum, where)
        _within(shown.get("minimum"), shown.get("maximum"), BIGINT_MIN, BIGINT_MAX, where)
    elif kind == "number":
        # A count the seed types "number" that the server takes whole (seconds, an id) is still a number.
        assert shown.get("type") in ("number", "integer"), (where, shown)
        _within(shown.get("minimum"), shown.get("maximum"), constraint.minimum, constraint.maximum, where)
        limit = BIGINT_MAX if shown.get("type") == "integer" else NUMBER_LIMIT  # an id, or an amount's column
        _within(shown.get("minimum"), shown.get("maximum"), -limit, limit, where)
        if constraint.exclusive_minimum:
            assert shown.get("exclusiveMinimum") is True, (where, shown)
    elif kind == "boolean":
        assert shown.get("type") == "boolean", (where, shown)
    elif kind == "object":
        assert shown.get("type") == "object", (where, shown)
    elif kind == "array":
        assert shown.get("type") == "array", (where, shown)
        assert (shown.get("minItems") or 0) >= (constraint.min_items or 0), (where, shown)
        assert constraint.max_items is None or shown.get("maxItems", 10**9) <= constraint.max_items, (where, shown)
        assert not constraint.unique or shown.get("uniqueItems") is True, (where, shown)
        if not constraint.opaque_items and constraint.items.kind not in ("any", "object"):
            _expect(constraint.items, name, shown.get("items"), where + "[]", document)
    else:
        assert shown.get("type") == "string", (where, shown)
        if constraint.fmt == "binary" and "multipart" not in where:
            # A file inside a JSON body travels as base64 text (docs/api.md, "Choices where the contract is silent").
            assert "A-Za-z0-9+/" in shown.get("pattern", ""), (where, shown)
        elif constraint.fmt in FORMATS:
            assert shown.get("format") == FORMATS[constraint.fmt], (where, shown)
        if constraint.fmt in ("date", "datetime", "date-time", "uuid", "binary", "bigint"):
            return
        if constraint.max_length is not None:
            assert shown.get("maxLength", 10**9) <= constraint.max_length, (where, shown)
        assert (shown.get("minLength") or 0) >= (constraint.min_length or 0), (where, shown)
        if constraint.pattern:
            assert shown.get("pattern") == constraint.pattern, (where, shown)


@pytest.mark.parametrize("operation_id", sorted(SEED))
def test_openapi_document_matches_the_catalog(schema, operation_id):
    seed = SEED[operation_id]
    entry = schema["paths"][seed.path][seed.method.lower()]
    assert (entry["operationId"], entry["tags"]) == (operation_id, [seed.tag])
    parameters = {(p["in"], p["name"]): p for p in entry.get("parameters", [])}
    assert set(parameters) == {(p.location, p.name) for p in seed.params if p.location != "body"}
    for param in seed.params:
        where = f"{operation_id} {param.location} {param.name}"
        if param.location == "body":
            continue
        shown = parameters[(param.location, param.name)]
        assert bool(shown.get("required")) == param.required, (where, shown)
        _expect(param.constraint, param.name, shown.get("schema"), where, schema)
    body = [p for p in seed.params if p.location == "body"]
    if body:
        assert list(entry["requestBody"]["content"]) == [seed.body_content_type]
        shown = _resolve(schema, entry["requestBody"]["content"][seed.body_content_type]["schema"])
        added = ADDED_BODY_FIELDS.get(operation_id, set())
        assert set(shown.get("properties")) == {p.name for p in body} | added, operation_id
        assert set(shown.get("required", [])) == {p.name for p in body if p.required}, operation_id
        assert shown.get("additionalProperties") is False, operation_id
        for param in body:
            where = f"{operation_id} {seed.body_content_type} body {param.name}"
            _expect(param.constraint, param.name, shown.get("properties")[param.name], where, schema)
    else:
        assert "requestBody" not in entry, operation_id
    statuses = set(entry["responses"])
    assert {"200", "400", "401", "403", "404", "409"} <= statuses, operation_id
    assert bool(entry.get("security")) == (seed.access != "public"), operation_id
    if seed.api == "mobile":  # the riders' API answers its own envelope, whatever the payload's size
        return
    assert {"413", "415"} <= statuses if seed.body_content_type else not {"413", "415"} & statuses, operation_id
    assert ("414" in statuses) == bool(seed.params_in("query")), operation_id
