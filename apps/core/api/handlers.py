"""Django-level error pages: under /api/ they are the envelope too (unknown path, crash outside a view)."""
from django.http import JsonResponse
from django.views.defaults import page_not_found
from django.views.defaults import server_error as html_server_error

from apps.core.exceptions import ErrorCode
from .exceptions import error_body


def _envelope(code, status, key, text):
    response = JsonResponse(error_body(code, key, text), status=status)
    response.envelope_code = code
    return response


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _envelope(ErrorCode.NOT_FOUND, 404, "not_found", f"No operation at {request.path}.")
    return page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return _envelope(ErrorCode.INTERNAL, 500, "internal", "An unexpected error occurred.")
    return html_server_error(request)
