"""Application errors and the envelope's error-code table (CONVENTIONS.md, "Envelope").

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


class Throttled(ApiError):
    code, http_status, key, text = ErrorCode.THROTTLED, 429, "throttled", "Too many requests."


class PayloadRejected(ApiError):
    code, http_status, key, text = ErrorCode.PAYLOAD, 413, "payload", "Payload rejected."
