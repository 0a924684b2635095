"""The operation catalog: every operation's method, path, access rule and parameters, declared in Python.

Each app declares its operations beside its views, in `<app>/api/operations.py` (the dashboard) and
`<app>/mobile/operations.py` (the riders' app), with `declare()` and `param()`: each parameter's `Constraint` is the
rule the API enforces (apps.core.api.params), the OpenAPI document shows (apps.core.api.schema) and the generated
tests violate on purpose (apps.core.testing). The seed's operations were generated once from the contract's catalog
(docs/api/operations.json, a verbatim copy); apps/core/tests/test_conformance.py holds the declarations to it, operation
by operation. Nothing parses that catalog at run time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from django.utils.module_loading import autodiscover_modules

DASHBOARD_PREFIX = "/api/dashboard/v1"
MOBILE_PREFIX = "/api/business-mobile/v1"

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


@cache
def dashboard_operations() -> dict[str, Operation]:
    """The seed's 295 operations and the product's own (docs/api.md, "Extensions of the contract")."""
    return _declared_for("dashboard")


@cache
def mobile_operations() -> dict[str, Operation]:
    """The business mobile seed's three and the riders' app operations."""
    return _declared_for("mobile")


_declared: dict[str, Operation] = {}


def _declared_for(api: str) -> dict[str, Operation]:
    # Each installed app's declaring modules, once (Django imports an app's admin modules the same way).
    autodiscover_modules("api.operations", "mobile.operations")
    return {op_id: op for op_id, op in _declared.items() if op.api == api}


def declare(operation_id: str, method: str, path: str, *, summary: str, tag: str, description: str = "",
            access: str = "authenticated", write: bool = False, params: tuple[Param, ...] = (),
            response_sample: str = '{ "Result": "Ok", "Data": {...} }', api: str = "mobile",
            errors: dict[str, str] | None = None, permission: str | None = None,
            body_content_type: str | None = None) -> Operation:
    """An operation of the catalog declared in Python, with its parameters' constraints (see `param`).

    `body_content_type`: "multipart/form-data" for an upload; a body of JSON is the default where there is a body."""
    prefix = MOBILE_PREFIX if api == "mobile" else DASHBOARD_PREFIX
    if body_content_type is None and any(p.location == "body" for p in params):
        body_content_type = "application/json"
    operation = Operation(
        operation_id=operation_id, tag=tag, summary=summary, description=description, method=method,
        path=prefix + path, access=access, permission=permission, write=write, body_content_type=body_content_type,
        response_sample=response_sample, params=params, api=api, errors=tuple((errors or {}).items()))
    if _declared.setdefault(operation_id, operation) != operation:
        raise ValueError(f"{operation_id} is declared twice")
    return operation


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# A declaration's types, short: `integer(minimum=10, maximum=500, default=20)`, `string(max_length=255, fmt="email")`.
def integer(*, minimum=None, maximum=None, **rest) -> Constraint:
    return Constraint(kind="integer", minimum=_decimal(minimum), maximum=_decimal(maximum), **rest)


def number(*, minimum=None, maximum=None, **rest) -> Constraint:
    return Constraint(kind="number", minimum=_decimal(minimum), maximum=_decimal(maximum), **rest)


def string(**rest) -> Constraint:
    return Constraint(kind="string", **rest)


# A time of day as the seed writes it (pricing and organization rules): HH:MM:SS, and 24:00:00 for the day's end.
HOUR_OF_DAY = string(pattern=r"^((([0-1]?\d|2[0-3]):[0-5]\d:[0-5]\d)|24:00:00)$")


def boolean(**rest) -> Constraint:
    return Constraint(kind="boolean", **rest)


def array(items: Constraint, **rest) -> Constraint:
    return Constraint(kind="array", items=items, **rest)


def json_object(**rest) -> Constraint:
    return Constraint(kind="object", **rest)


def param(name: str, location: str, constraint: Constraint, *, required: bool = False, doc: str = "") -> Param:
    """A parameter declared in Python: the Constraint is the rule the API enforces and the schema shows."""
    described = constraint.kind + (" or null" if constraint.nullable else "")
    return Param(name=name, location=location, required=required, type=described, doc=doc, constraint=constraint)


def get_operation(operation_id: str) -> Operation:
    try:
        return dashboard_operations()[operation_id]
    except KeyError:
        try:
            return mobile_operations()[operation_id]
        except KeyError:
            raise KeyError(f"{operation_id!r} is not in the operation catalog") from None
