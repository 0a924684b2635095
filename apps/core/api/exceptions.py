"""The one exception handler: every error of the API leaves as the envelope's error body."""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DataError, IntegrityError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback

from apps.core.exceptions import ApiError, ErrorCode, constraint_error, data_error

logger = logging.getLogger("fleetadmin.api")

_DRF_MAP = [
    (drf.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED, 401, "not_authenticated"),
    (drf.AuthenticationFailed, ErrorCode.NOT_AUTHENTICATED, 401, "not_authenticated"),
    (drf.PermissionDenied, ErrorCode.PERMISSION_DENIED, 403, "permission_denied"),
    (drf.NotFound, ErrorCode.NOT_FOUND, 404, "not_found"),
    (drf.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED, 405, "method_not_allowed"),
    (drf.NotAcceptable, ErrorCode.VALIDATION, 406, "not_acceptable"),
    (drf.UnsupportedMediaType, ErrorCode.PAYLOAD, 415, "payload"),
    (drf.Throttled, ErrorCode.THROTTLED, 429, "throttled"),
    (drf.ParseError, ErrorCode.VALIDATION, 400, "validation.malformed_body"),
]


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" | "parent.child" | "items.3": [messages]}."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for name, sub in detail.items():
            fields.update(flatten_errors(sub, f"{prefix}.{name}" if prefix else str(name)))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            fields.setdefault(prefix or "body", []).extend(str(item) for item in detail)
        else:
            for index, sub in enumerate(detail):
                if sub:
                    fields.update(flatten_errors(sub, f"{prefix}.{index}" if prefix else str(index)))
    else:
        fields.setdefault(prefix or "body", []).append(str(detail))
    return fields


def error_body(code: int, key: str, text: str, fields: dict | None = None) -> dict:
    message = {"key": key, "text": text}
    if fields:
        message["fields"] = fields
    return {"code": code, "message": message}


def error_response(code: int, http_status: int, key: str, text: str, fields: dict | None = None,
                   headers: dict | None = None) -> Response:
    response = Response(error_body(code, key, text, fields), status=http_status, headers=headers)
    response.is_envelope = True
    response.envelope_code = code
    return response


def envelope_exception_handler(exc, context):
    # Whatever the error, nothing the request wrote inside an atomic block may stay.
    set_rollback()
    if isinstance(exc, IntegrityError):
        exc = constraint_error(exc)
    elif isinstance(exc, DataError):
        exc = data_error(exc)
    if isinstance(exc, ApiError):
        return error_response(exc.code, exc.http_status, exc.key, exc.text, exc.fields)
    if isinstance(exc, drf.ValidationError):
        fields = flatten_errors(exc.detail)
        names = ", ".join(sorted(fields))
        return error_response(ErrorCode.VALIDATION, 400, "validation", f"Invalid parameters: {names}.", fields)
    if isinstance(exc, Http404):
        return error_response(ErrorCode.NOT_FOUND, 404, "not_found", "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        return error_response(ErrorCode.PERMISSION_DENIED, 403, "permission_denied", "Permission denied.")
    if isinstance(exc, RequestDataTooBig):
        return error_response(ErrorCode.PAYLOAD, 413, "payload", "Request body too large.")
    for exc_class, code, status, key in _DRF_MAP:
        if isinstance(exc, exc_class):
            headers = {}
            if isinstance(exc, drf.Throttled) and exc.wait:
                headers["Retry-After"] = str(int(exc.wait))
            if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)):
                headers["WWW-Authenticate"] = 'Bearer realm="api"'
            return error_response(code, status, key, str(exc.detail), headers=headers or None)
    logger.exception("Unhandled API error", exc_info=exc)
    return error_response(ErrorCode.INTERNAL, 500, "internal", "An unexpected error occurred.")
