"""Read-only requests read from a streaming replica when one is configured (DATABASE_REPLICA_URL; docs/deployment.md).

A GET or HEAD of the API or of the open-data feeds may read from the replica until it writes: the first statement
on the primary that is not a read turns the replica off for the rest of the request, so a request reads what it
wrote. Inside a transaction, reads stay on the primary (a row locked, then read, must be the primary's). Logins,
tokens, grants and sessions are always read from the primary: a token issued a moment ago must work at once,
whatever the replica's lag. Everything else (admin pages, Celery tasks, writes) uses the primary.
"""
from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
READ_ONLY_PATHS = ("/api/dashboard/", "/api/business-mobile/", "/gbfs/", "/mds/")
PRIMARY_ONLY_APPS = {"accounts", "access", "sessions", "auth", "guardian", "opendata"}
READS = ("SELECT", "SHOW", "EXPLAIN", "SET", "SAVEPOINT", "RELEASE")

_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (_replica_allowed.get() and model._meta.app_label not in PRIMARY_ONLY_APPS
                and not connections[DEFAULT_DB_ALIAS].in_atomic_block):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _notice_writes(execute, sql, params, many, context):
    if not sql.lstrip().upper().startswith(READS):
        _replica_allowed.set(False)  # this request wrote: it reads from the primary from now on
    return execute(sql, params, many, context)


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (not replica_configured() or request.method not in ("GET", "HEAD")
                or not request.path.startswith(READ_ONLY_PATHS)):
            return self.get_response(request)
        token = _replica_allowed.set(True)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_notice_writes):
                return self.get_response(request)
        finally:
            _replica_allowed.reset(token)
