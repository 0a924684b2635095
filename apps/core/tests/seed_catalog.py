"""The contract's catalog as it is printed (docs/api/operations.json, docs/api/mobile-operations.json, enums.json):
read here, by the conformance tests only, to hold the operations declared in Python to it.

Its parameter types are short strings such as ``integer [ 10 .. 500 ]`` or ``string or null <email> <= 255
characters``; `parse_type()` turns them into the `Constraint` the declaration must carry. Where the product
departs from the printed catalog on purpose (a pattern the seed prints cut short, an enum the telemetry extends, a
bound the domain adds), the departure is listed here, with why.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

from apps.core.catalog import Constraint, Operation, Param

API_DOCS_DIR = Path(settings.BASE_DIR) / "docs" / "api"

# Patterns the seed itself prints cut short ("..."); completed once so the API enforces the whole rule.
COMPLETED_PATTERNS = {
    r"^((([0-1]?\d|2[0-3]):[0-5]\d:[0-5]\d)|24:00:0...": r"^((([0-1]?\d|2[0-3]):[0-5]\d:[0-5]\d)|24:00:00)$",
    r"^faq\.[0-9]+\.contents\.[a-z0-9-]+\.[a-z0-9-]...": r"^faq\.[0-9]+\.contents\.[a-z0-9-]+\.[a-z0-9-]+$",
    r"^faq\.[0-9]+\.sub_categories\.[a-z0-9-]+\.[a-...": r"^faq\.[0-9]+\.sub_categories\.[a-z0-9-]+\.[a-z0-9-]+$",
    # The seed writes {1-3}, which a regex engine reads literally; {1,3} is what it means.
    r"^\d{1-3},\d{1-3},\d{1-3},\d{1-3}$": r"^\d{1,3},\d{1,3},\d{1,3},\d{1,3}$",
}

_NUMBER = r"-?\d+(?:\.\d+)?"


@cache
def enums() -> dict[str, list[str]]:
    data = json.loads((API_DOCS_DIR / "enums.json").read_text())
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _literal(raw: str):
    """A default value as the seed prints it: "text", true/false, an integer or a decimal."""
    if raw.startswith('"'):
        return raw.strip('"')
    if raw in ("true", "false"):
        return raw == "true"
    return int(raw) if re.fullmatch(r"-?\d+", raw) else Decimal(raw)


# Values the product adds to an enum of the seed (docs/api.md, "Extensions of the contract"): the alerts the vehicles'
# telemetry raises (apps.telemetry.rules) can be filtered, listed and subscribed to like the seed's.
ENUM_EXTENSIONS: dict[tuple, tuple] = {
    ("unexpected-unlock", "spot-identify-fail", "spot-high-temperature", "station-power-cut",
     "station-alarm-triggered", "vehicle-illegal-moving", "vehicle-dismantling", "vehicle-lifted", "vehicle-fallen",
     "vehicle-out-of-network-area"):
        ("vehicle-low-battery", "vehicle-offline", "vehicle-in-no-parking-zone", "vehicle-speeding"),
}


def _parse_doc(doc: str) -> dict:
    found: dict = {}
    m = re.search(r"Default:\s*(\"[^\"]*\"|" + _NUMBER + r"|true|false)", doc)
    if m:
        found["default"] = _literal(m.group(1))
    m = re.search(r"(?:Items )?Enum:\s*<\d+ values: (\S+) \.\.\. (\S+)>", doc)
    if m:
        first = m.group(1)
        for name, values in enums().items():
            if values and values[0] == first:
                found["enum"] = tuple(values)
    else:
        m = re.search(r"(?:Items )?(?:Enum|Value):((?:\s+(?:\"[^\"]*\"|-?\d+))+)", doc)
        if m:
            tokens = re.findall(r"\"([^\"]*)\"|(-?\d+)", m.group(1))
            found["enum"] = tuple(s if s or not n else int(n) for s, n in tokens)
            found["enum"] += ENUM_EXTENSIONS.get(found["enum"], ())
    return found


def _parse_scalar(t: str) -> Constraint:
    t = t.strip()
    nullable = " or null" in t
    t = t.replace(" or null", "")
    pattern = None
    m = re.search(r"(?:pattern |:|/)?(\^.*?)(/)?$", t)
    if m and "^" in t:
        pattern = m.group(1)
        pattern = COMPLETED_PATTERNS.get(pattern, pattern)
        t = t[: m.start()].strip()
    kind_word = t.split()[0] if t.split() else "string"
    kind_word = re.match(r"[a-z]+", kind_word).group(0)
    kind = {"integer": "integer", "number": "number", "boolean": "boolean", "string": "string", "object": "object"}.get(
        kind_word, "string"
    )
    fmt = None
    m = re.search(r"<([a-z-]+)>", t)
    if m:
        fmt = m.group(1)
    enum_name = None
    m = re.search(r"\(([A-Za-z]+)\)", t)
    if m:
        enum_name = m.group(1)  # an enum the catalog names (Currency), listed in full in enums.json
    chars = "characters" in t or kind == "string"
    minimum = maximum = None
    m = re.search(r"\[\s*(" + _NUMBER + r")\s*\.\.\s*(" + _NUMBER + r")\s*\]", t)
    if m:
        minimum, maximum = Decimal(m.group(1)), Decimal(m.group(2))
    for op, num in re.findall(r"(>=|<=|=)\s*(" + _NUMBER + r")", t):
        if op == ">=":
            minimum = Decimal(num)
        elif op == "<=":
            maximum = Decimal(num)
        else:
            minimum = maximum = Decimal(num)
    if "non-empty" in t and kind == "string":
        minimum = max(minimum or Decimal(1), Decimal(1))
    c = Constraint(kind=kind, nullable=nullable, pattern=pattern, fmt=fmt)
    if chars and kind == "string":
        c = replace(
            c,
            min_length=int(minimum) if minimum is not None else None,
            max_length=int(maximum) if maximum is not None else None,
        )
    else:
        c = replace(c, minimum=minimum, maximum=maximum)
    if enum_name and enum_name in enums():
        c = replace(c, enum=tuple(enums()[enum_name]))
    return c


def parse_type(type_string: str, doc: str = "") -> Constraint:
    """Turn a catalog type string (and the enum/default sentences of its doc) into a Constraint."""
    t = type_string.strip()
    doc_info = _parse_doc(doc)
    m = re.match(r"Array of (\w+)\s*(\([A-Za-z]+\))?(.*)$", t)
    if m:
        item_word, item_enum, rest = m.group(1), m.group(2), m.group(3)
        item_kind = {"integers": "integer", "numbers": "number", "strings": "string", "objects": "object"}[item_word]
        head, _, bracket = rest.partition("[")
        min_items = max_items = None
        mm = re.search(r">=\s*(\d+) items", head)
        if mm:
            min_items = int(mm.group(1))
        if "non-empty" in head:
            min_items = max(min_items or 1, 1)
        items = Constraint(kind=item_kind)
        opaque = bracket.count("[") > 1 or bracket.count("items") > 1
        if bracket and not opaque:
            items = _parse_scalar(item_kind.replace("integer", "integer ").strip() + " " + bracket.replace("items", "").rstrip("] ").strip())
            items = replace(items, kind=item_kind)
        if item_enum and item_enum.strip("()") in enums():
            items = replace(items, enum=tuple(enums()[item_enum.strip("()")]))
        if doc_info.get("enum") and item_kind != "number":
            items = replace(items, enum=doc_info["enum"])
        return Constraint(
            kind="array",
            items=items,
            min_items=min_items,
            max_items=max_items,
            unique="unique" in head,
            opaque_items=opaque,
        )
    c = _parse_scalar(t)
    if doc_info.get("enum") and c.enum is None:
        c = replace(c, enum=doc_info["enum"])
    if "default" in doc_info:
        c = replace(c, default=doc_info["default"])
    return c


# What the domain enforces beyond the seed's types: the API validates it, the OpenAPI document says it, and the
# admin's action forms (apps.core.api.params.form_serializer) take no more than the API takes.
REFINED: dict[tuple[str, str], dict] = {
    ("refundTransaction", "amount"): {"minimum": Decimal(0), "exclusive_minimum": True},
    ("createUserWallet", "amount"): {"minimum": Decimal(0), "exclusive_minimum": True},
    **{(op, name): {"minimum": Decimal(0)}
       for op in ("createOffer", "updateOffer") for name in ("price", "given_amount")},
}


def _refined(operation_id: str, name: str, constraint: Constraint) -> Constraint:
    refinement = REFINED.get((operation_id, name))
    return replace(constraint, **refinement) if refinement else constraint


def load(path: Path, api: str) -> dict[str, Operation]:
    """The catalog file's operations, each parameter's type parsed, the departures above applied."""
    raw = json.loads(path.read_text())
    operations = {}
    for op in raw["operations"]:
        params = tuple(
            Param(
                name=p["name"],
                location=p["in"],
                required=p["required"],
                type=p["type"],
                doc=p.get("doc", ""),
                constraint=_refined(op["operation_id"], p["name"], parse_type(p["type"], p.get("doc", ""))),
            )
            for p in op["params"]
        )
        operations[op["operation_id"]] = Operation(
            operation_id=op["operation_id"],
            tag=op["tag"],
            summary=op.get("summary", ""),
            description=op.get("description", ""),
            method=op["method"],
            path=op["path"],
            access=op["access"],
            permission=op.get("permission"),
            write=op.get("write", False),
            body_content_type=op.get("body_content_type"),
            response_sample=op.get("response_sample", ""),
            params=params,
            api=api,
        )
    return operations


@cache
def seed_operations() -> dict[str, Operation]:
    """The contract's operations: the dashboard's 295 and the business mobile seed's three."""
    return {**load(API_DOCS_DIR / "operations.json", "dashboard"),
            **load(API_DOCS_DIR / "mobile-operations.json", "mobile")}
