"""The API's own OpenAPI document, for tests that check answers against what it promises."""
from __future__ import annotations

from functools import cache

import jsonschema

from apps.core.catalog import Operation


def _json_schema(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema's `null` type (what jsonschema understands)."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


@cache
def openapi_document() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return _json_schema(SchemaGenerator().get_schema(request=None, public=True))


def assert_matches_response_schema(operation: Operation, body) -> None:
    """`body` (a success answer, envelope included) is what the schema says `operation` answers with 200 (draft 4:
    OpenAPI 3.0 writes exclusiveMaximum as a boolean, as draft 4 does)."""
    document = openapi_document()
    schema = document["paths"][operation.path][operation.method.lower()]["responses"]["200"]["content"][
        "application/json"]["schema"]
    validator = jsonschema.Draft4Validator({**schema, "components": document["components"]})
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, f"{operation.operation_id}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5])
