"""The riders' mobile API envelope (docs/api.md, "Mobile API"): `{"Result": "Ok", "Data": ...}` on success,
`{"Result": "Error", "ErrorCode": "err_...", "Message": ...}` with a 4xx status on error. Views are the same
OperationView as the dashboard's; only the renderer and the exception handler differ."""
from __future__ import annotations

import logging

from django.db import DataError, IntegrityError

from rest_framework import exceptions as drf
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from apps.core.exceptions import ApiError, ValidationFailed, constraint_error, data_error
from .views import OperationView

logger = logging.getLogger("fleetadmin.api")


# Dashboard error keys the rider's app tells apart.
MOBILE_CODES = {"payment_provider.pending": "err_PaymentPending", "payment_provider.unavailable": "err_PaymentUnavailable",
                "auth.invalid_credentials": "err_WrongCredentials", "auth.too_many_failures": "err_TooManyAttempts"}


class MobileError(Exception):
    def __init__(self, error_code: str, message: str, http_status: int = 409):
        super().__init__(message)
        self.error_code, self.message, self.http_status = error_code, message, http_status


def mobile_error_response(error_code: str, message: str, http_status: int) -> Response:
    response = Response({"Result": "Error", "ErrorCode": error_code, "Message": message}, status=http_status)
    response.is_envelope = True
    return response


def mobile_exception_handler(exc, context):
    set_rollback()
    if isinstance(exc, IntegrityError):
        exc = constraint_error(exc)
    elif isinstance(exc, DataError):
        exc = data_error(exc)
    if isinstance(exc, MobileError):
        return mobile_error_response(exc.error_code, exc.message, exc.http_status)
    if getattr(exc, "mobile_code", None):  # a domain rule with its own rider-API code (apps.trips.lifecycle)
        response = mobile_error_response(exc.mobile_code, exc.text, exc.http_status)
        response.data.update(getattr(exc, "details", {}))
        return response
    if isinstance(exc, (drf.ValidationError, drf.ParseError)):
        fields = sorted(exc.detail) if isinstance(getattr(exc, "detail", None), dict) else []
        named = f" ({', '.join(fields)})" if fields else ""
        return mobile_error_response("err_InvalidElement",
                                     f"Some elements of the request are missing or malformed{named}.", 400)
    if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)):
        return mobile_error_response("err_Generic", "No user is found for the authentication token.", 401)
    if isinstance(exc, ValidationFailed):  # a service's check of one field: named, with what is wrong
        problems = "; ".join(f"{name}: {' '.join(map(str, texts))}" for name, texts in (exc.fields or {}).items())
        return mobile_error_response("err_InvalidElement", problems or exc.text, 400)
    if isinstance(exc, ApiError):
        code = MOBILE_CODES.get(exc.key, "err_Generic")
        return mobile_error_response(code, exc.text, exc.http_status)
    if isinstance(exc, drf.APIException):
        return mobile_error_response("err_Generic", str(exc.detail), exc.status_code)
    logger.exception("Unhandled mobile API error", exc_info=exc)
    return mobile_error_response("err_Generic", "An unexpected error occurred.", 500)


class MobileJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and not getattr(response, "is_envelope", False):
            data = {"Result": "Ok"} if data is None else {"Result": "Ok", "Data": data}
        return super().render(data, accepted_media_type, renderer_context)


class MobileOperationView(OperationView):
    """A mobile operation: the rider is `request.user`; answers in the mobile envelope."""

    renderer_classes = [MobileJSONRenderer]

    def get_exception_handler(self):
        return mobile_exception_handler
