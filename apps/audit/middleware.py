"""Records every dashboard and mobile API request in the access log (docs/api.md, "Access log").

The row is written once the answer has been sent: the server calls the response's `close()` after writing its last
byte (WSGI), and the row is written then, so the client never waits on the INSERT nor on its commit's WAL flush.
It is one fixed INSERT in autocommit (no BEGIN/COMMIT around it: the request's own transactions are over by then),
or inside a savepoint when the caller still holds a transaction (tests, ATOMIC_REQUESTS); a failure to write it is
logged and never reaches the client. `duration_ms` is the time to build the answer.
"""
import logging
import time

from django.db import connections, router, transaction
from django.utils import timezone

from apps.core.net import client_ip

from .models import AccessLog

logger = logging.getLogger("fleetadmin.audit")

# Which API a path belongs to; listAccessLogs shows the dashboard's, a rider's page (listUserApiRequests) both.
LOGGED_APIS = {"/api/dashboard/": "dashboard", "/api/business-mobile/": "mobile"}


def api_of(path: str) -> str | None:
    return next((api for prefix, api in LOGGED_APIS.items() if path.startswith(prefix)), None)


def envelope_code_of(response) -> int | None:
    code = getattr(response, "envelope_code", None)
    if code is not None:
        return code
    # File downloads and responses that did not pass the envelope renderer.
    return 0 if response.status_code < 400 else None


_COLUMNS = [field.column for field in AccessLog._meta.concrete_fields if not field.primary_key]
# Written on every API request: a fixed statement rather than a model save the ORM compiles each time.
_INSERT_SQL = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
    AccessLog._meta.db_table, ", ".join(f'"{column}"' for column in _COLUMNS), ", ".join(["%s"] * len(_COLUMNS)))


def _insert(connection, row: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_SQL, [row[column] for column in _COLUMNS])


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = api_of(request.path)
        if api is None:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = int((time.perf_counter() - started) * 1000)
        # Django's HttpResponse.close() runs its resource closers, then sends request_finished (which may close the
        # connection): the row is written on the request's connection, before it is given back.
        response._resource_closers.append(lambda: self._record(request, response, duration_ms, api))
        return response

    def _record(self, request, response, duration_ms: int, api: str) -> None:
        user = getattr(request, "user", None)
        user_id = getattr(request, "api_user_id", None) or (
            user.pk if user is not None and user.is_authenticated else None
        )
        row = {
            "api": api,
            "date": timezone.now(),
            "user_id": user_id,
            "target_path": request.get_full_path()[:2048],
            "verb": request.method[:10],
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:2048],
            "ip": client_ip(request),
            "http_code": response.status_code,
            "knot_code": envelope_code_of(response),
            "duration_ms": duration_ms,
        }
        connection = connections[router.db_for_write(AccessLog)]
        try:
            if connection.in_atomic_block:
                with transaction.atomic(using=connection.alias):  # a savepoint: a failed insert cannot poison it
                    _insert(connection, row)
            else:
                _insert(connection, row)  # one INSERT, in autocommit (no BEGIN/COMMIT around it)
        except Exception:  # close() would swallow it silently: logged here, as a failed INSERT is
            logger.exception("Could not write the access log row for %s %s", request.method, request.path)
