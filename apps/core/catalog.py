"""The operation catalog: every dashboard operation's method, path, access rule and parameters.

`docs/api/operations.json` is a verbatim copy of the contract's catalog (the repository must not need
anything outside itself). Its parameter types are short strings such as ``integer [ 10 .. 500 ]`` or
``string or null <email> <= 255 characters``; `parse_type()` turns them into a `Constraint` that the
API layer enforces (apps.core.api.params) and the generated tests violate on purpose (apps.core.testing).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

DASHBOARD_PREFIX = "/api/dashboard/v1"
MOBILE_PREFIX = "/api/business-mobile/v1"
API_DOCS_DIR = Path(settings.BASE_DIR) / "docs" / "api"

# Patterns the seed itself prints cut short ("..."); completed here once so the API enforces the whole rule.
COMPLETED_PATTERNS = {
    r"^((([0-1]?\d|2[0-3]):[0-5]\d:[0-5]\d)|24:00:0...": r"^((([0-1]?\d|2[0-3]):[0-5]\d:[0-5]\d)|24:00:00)$",
    r"^faq\.[0-9]+\.contents\.[a-z0-9-]+\.[a-z0-9-]...": r"^faq\.[0-9]+\.contents\.[a-z0-9-]+\.[a-z0-9-]+$",
    r"^faq\.[0-9]+\.sub_categories\.[a-z0-9-]+\.[a-...": r"^faq\.[0-9]+\.sub_categories\.[a-z0-9-]+\.[a-z0-9-]+$",
    # The seed writes {1-3}, which a regex engine reads literally; {1,3} is what it means.
    r"^\d{1-3},\d{1-3},\d{1-3},\d{1-3}$": r"^\d{1,3},\d{1,3},\d{1,3},\d{1,3}$",
}


@dataclass(frozen=True)
class Constraint:
    kind: str  # integer | number | boolean | string | array | object | any
    nullable: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    fmt: str | None = None  # email, uri, date, datetime, date-time, binary, bigint, float, double
    enum: tuple | None = None
    enum_name: str | None = None
    default: object = None
    items: Constraint | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique: bool = False
    exclusive_minimum: bool = False  # `minimum` itself is refused (an amount above zero)
    # Nested coordinate arrays (shapes) whose short type string the catalog cannot say in full:
    # their items are validated by the owning app's serializer, not generically.
    opaque_items: bool = False


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # query | path | body
    required: bool
    type: str
    doc: str
    constraint: Constraint


@dataclass(frozen=True)
class Operation:
    operation_id: str
    tag: str
    summary: str
    description: str
    method: str
    path: str
    access: str  # public | authenticated | permission
    permission: str | None
    write: bool
    body_content_type: str | None
    response_sample: str
    params: tuple[Param, ...] = field(default=())
    api: str = "dashboard"
    # Error statuses an operation declared in Python answers beyond its API's usual ones: ((status, codes), ...).
    errors: tuple[tuple[str, str], ...] = ()

    def params_in(self, location: str) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == location)

    @property
    def route(self) -> str:
        """The path as a Django route; path parameters are validated by the view, so any segment matches."""
        prefix = DASHBOARD_PREFIX if self.api == "dashboard" else MOBILE_PREFIX
        relative = self.path.removeprefix(prefix).lstrip("/")
        return re.sub(r"\{(\w+)\}", r"<str:\1>", relative)

    @property
    def returns_data(self) -> bool:
        return '"data"' in (self.response_sample or "")  # a few operations document no response

    @property
    def paginated(self) -> bool:
        return any(p.name == "last_primary_key" for p in self.params)


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
                found["enum_name"] = name
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
        enum_name = m.group(1)
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
    c = Constraint(kind=kind, nullable=nullable, pattern=pattern, fmt=fmt, enum_name=enum_name)
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
        if item_enum:
            items = replace(items, enum_name=item_enum.strip("()"))
            if items.enum_name in enums():
                items = replace(items, enum=tuple(enums()[items.enum_name]))
        if doc_info.get("enum") and item_kind != "number":
            items = replace(items, enum=doc_info["enum"], enum_name=doc_info.get("enum_name", items.enum_name))
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
        c = replace(c, enum=doc_info["enum"], enum_name=doc_info.get("enum_name"))
    if "default" in doc_info:
        c = replace(c, default=doc_info["default"])
    return c


# What the domain enforces beyond the seed's types, stated here once: the API validates it, the OpenAPI document says
# it, and the admin's action forms (apps.core.api.params.form_serializer) take no more than the API takes.
REFINED: dict[tuple[str, str], dict] = {
    ("refundTransaction", "amount"): {"minimum": Decimal(0), "exclusive_minimum": True},
    ("createUserWallet", "amount"): {"minimum": Decimal(0), "exclusive_minimum": True},
    **{(op, name): {"minimum": Decimal(0)}
       for op in ("createOffer", "updateOffer") for name in ("price", "given_amount")},
}


def _refined(operation_id: str, name: str, constraint: Constraint) -> Constraint:
    refinement = REFINED.get((operation_id, name))
    return replace(constraint, **refinement) if refinement else constraint


def _load(path: Path, api: str) -> dict[str, Operation]:
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
def dashboard_operations() -> dict[str, Operation]:
    """The seed's 295 operations and the product's own dashboard operations declared in Python (docs/api.md,
    "Extensions of the contract")."""
    _import_declaring_modules()
    return {**_load(API_DOCS_DIR / "operations.json", "dashboard"),
            **{op_id: op for op_id, op in _declared.items() if op.api == "dashboard"}}


# Operations declared in Python (new code: the riders' app API, the vehicles' telemetry), by the modules listed here;
# the seed's operations stay in the JSON copies of the contract.
DECLARING_MODULES = ("apps.riders.mobile.operations", "apps.trips.mobile.operations", "apps.fleet.api.operations",
                     "apps.telemetry.api.operations")
_declared: dict[str, Operation] = {}


def _import_declaring_modules() -> None:
    import importlib

    for module in DECLARING_MODULES:
        importlib.import_module(module)


def declare(operation_id: str, method: str, path: str, *, summary: str, tag: str, description: str = "",
            access: str = "authenticated", write: bool = False, params: tuple[Param, ...] = (),
            response_sample: str = '{ "Result": "Ok", "Data": {...} }', api: str = "mobile",
            errors: dict[str, str] | None = None, permission: str | None = None) -> Operation:
    """An operation of the catalog declared in Python, with its parameters' constraints (see `param`)."""
    prefix = MOBILE_PREFIX if api == "mobile" else DASHBOARD_PREFIX
    operation = Operation(
        operation_id=operation_id, tag=tag, summary=summary, description=description, method=method,
        path=prefix + path, access=access, permission=permission, write=write,
        body_content_type="application/json" if any(p.location == "body" for p in params) else None,
        response_sample=response_sample, params=params, api=api, errors=tuple((errors or {}).items()))
    if _declared.setdefault(operation_id, operation) != operation:
        raise ValueError(f"{operation_id} is declared twice")
    return operation


def declared_in_python(operation_id: str) -> bool:
    return operation_id in _declared


def param(name: str, location: str, constraint: Constraint, *, required: bool = False, doc: str = "") -> Param:
    """A parameter declared in Python: the Constraint is the rule the API enforces and the schema shows."""
    described = constraint.kind + (" or null" if constraint.nullable else "")
    return Param(name=name, location=location, required=required, type=described, doc=doc, constraint=constraint)


@cache
def mobile_operations() -> dict[str, Operation]:
    _import_declaring_modules()
    return {**_load(API_DOCS_DIR / "mobile-operations.json", "mobile"),
            **{op_id: op for op_id, op in _declared.items() if op.api == "mobile"}}


def get_operation(operation_id: str) -> Operation:
    try:
        return dashboard_operations()[operation_id]
    except KeyError:
        try:
            return mobile_operations()[operation_id]
        except KeyError:
            raise KeyError(f"{operation_id!r} is not in the operation catalog") from None
