"""Application errors and the envelope's error-code table (docs/api.md, "Error keys").

Services raise these; the one exception handler (apps.core.api.exceptions) turns them into the envelope.
Business-rule errors all use code -6 and are told apart by their stable `key` (see docs/api.md).
"""
from __future__ import annotations


class ErrorCode:
    INTERNAL = -1
    VALIDATION = -2
    NOT_AUTHENTICATED = -3
    PERMISSION_DENIED = -4
    NOT_FOUND = -5
    BUSINESS_RULE = -6
    METHOD_NOT_ALLOWED = -7
    THROTTLED = -8
    PAYLOAD = -9


class ApiError(Exception):
    code = ErrorCode.INTERNAL
    http_status = 500
    key = "internal"
    text = "An unexpected error occurred."

    def __init__(self, text: str | None = None, *, key: str | None = None, fields: dict | None = None,
                 http_status: int | None = None):
        self.text = text or self.text
        self.key = key or self.key
        self.fields = fields
        if http_status is not None:
            self.http_status = http_status
        super().__init__(self.text)


class ValidationFailed(ApiError):
    code, http_status, key, text = ErrorCode.VALIDATION, 400, "validation", "Invalid parameters."

    @classmethod
    def on(cls, field: str, problem: str) -> "ValidationFailed":
        return cls(f"Invalid parameter: {field}.", fields={field: [problem]})


class NotAuthenticated(ApiError):
    code, http_status, key, text = ErrorCode.NOT_AUTHENTICATED, 401, "not_authenticated", "Authentication required."


class PermissionDenied(ApiError):
    code, http_status, key, text = ErrorCode.PERMISSION_DENIED, 403, "permission_denied", "Permission denied."


class NotFound(ApiError):
    code, http_status, key, text = ErrorCode.NOT_FOUND, 404, "not_found", "Not found."


class BusinessRuleViolation(ApiError):
    """A rule of the domain forbids the action; `key` names the rule (e.g. "network.already_closed")."""

    code, http_status, key = ErrorCode.BUSINESS_RULE, 409, "business_rule"

    def __init__(self, key: str, text: str):
        super().__init__(text, key=key)


class Refused(BusinessRuleViolation):
    """A rule refused what a rider asked: `mobile_code` is the riders' app ErrorCode (`err_...`, answered with
    `http_status` and any `details`); the dashboard sees the key `<area>.<code>`."""

    def __init__(self, mobile_code: str, text: str, *, http_status: int = 409, area: str = "rider", **details):
        super().__init__(f"{area}.{mobile_code.removeprefix('err_')}", text)
        self.mobile_code, self.http_status, self.details = mobile_code, http_status, details


class Throttled(ApiError):
    code, http_status, key, text = ErrorCode.THROTTLED, 429, "throttled", "Too many requests."


class PayloadRejected(ApiError):
    code, http_status, key, text = ErrorCode.PAYLOAD, 413, "payload", "Payload rejected."


# --- database constraints ------------------------------------------------------------------------------------
# A check-then-write that loses a race ends in a constraint violation; the exception handler answers it with the
# error the check would have given. Apps register, per constraint name or per (table, columns) of a unique key,
# the error to give; an unregistered violation is still a clear -6 (conflict) or -2 (check), never a 500.
_CONSTRAINT_ERRORS: dict = {}


def on_constraint(error, *, name: str | None = None, model=None, fields: tuple[str, ...] = ()) -> None:
    """Register `error()` (an ApiError factory) for the constraint `name`, or the unique key of `model` on
    `fields`."""
    if name is not None:
        _CONSTRAINT_ERRORS[name] = error
    if model is not None:
        columns = frozenset(model._meta.get_field(f).column for f in fields)
        _CONSTRAINT_ERRORS[(model._meta.db_table, columns)] = error


def _key_columns(detail: str | None) -> frozenset[str]:
    # PostgreSQL's detail of a unique violation: 'Key (network_id, name)=(1, Lyon) already exists.'
    if not detail or not detail.startswith("Key ("):
        return frozenset()
    inner = detail[len("Key ("):detail.find(")=")]
    return frozenset(part.strip().strip('"') for part in inner.split(","))


def constraint_error(exc) -> ApiError:
    """The API error for a database integrity error (psycopg's diagnostics say which constraint)."""
    diag = getattr(getattr(exc, "__cause__", None), "diag", None)
    sqlstate = getattr(getattr(exc, "__cause__", None), "sqlstate", None)
    name = getattr(diag, "constraint_name", None)
    table = getattr(diag, "table_name", None)
    unique_key = (table, _key_columns(getattr(diag, "message_detail", None)))
    factory = _CONSTRAINT_ERRORS.get(name) or _CONSTRAINT_ERRORS.get(unique_key)
    if factory is not None:
        return factory()
    if sqlstate == "23514":  # check_violation
        return ValidationFailed(f"A value breaks the rule {name}.", fields={"body": [f"Violates {name}."]})
    if sqlstate == "23503":  # foreign_key_violation: the row referred to is gone (deleted meanwhile)
        return BusinessRuleViolation("conflict.reference", "A row this request refers to no longer exists; retry.")
    return BusinessRuleViolation("conflict.duplicate", "This conflicts with an existing row (written meanwhile?).")


def data_error(exc) -> ApiError:
    """A value PostgreSQL cannot store (out of range, too long): a -2, never a 500."""
    return ValidationFailed("A value does not fit where it is stored.", fields={"body": [str(exc).splitlines()[0]]})
