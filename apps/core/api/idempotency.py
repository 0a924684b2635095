"""`Idempotency-Key` on money-moving writes (beyond the seed, as the best payment APIs do).

A view lists the methods that accept it (`idempotent_methods`). Inside the write's transaction the key is claimed
with `INSERT ... ON CONFLICT DO NOTHING` and its row locked: concurrent retries wait for the first, then find its
stored answer and return it without doing anything. A retry whose path, query or body differ is -2 naming the
header. A failed first attempt rolls back with the claim, so the key can be used again.

A write that calls a payment provider between commits of its own (`stepped_methods`) claims the key in a short
transaction of its own, before the handler. Its concurrent retries run the handler too and join the same payment
attempt (apps.payments.attempts, keyed by the claim), so they end with the same answer and pay once. An error answer
gives the key back, except "the provider has not answered yet": a retry must join the attempt under way.

Answers are kept IDEMPOTENCY_RETENTION_DAYS days (`prune`, a beat task); after that, the key is a new request.
"""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from apps.core.exceptions import ValidationFailed
from apps.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class Replay(Exception):
    """Raised once the stored first answer is known: the view returns it and does nothing else."""

    def __init__(self, response):
        self.response = response


def request_hash(request, data) -> str:
    payload = json.dumps([request.method, request.path, sorted(request.GET.lists()), data], sort_keys=True,
                         default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def claim(request, user, operation_id: str, data=None) -> IdempotencyRecord | None:
    """The key's record, locked for this transaction; None when the request has no key. `request` is Django's."""
    key = _key_of(request)
    if key is None:
        return None
    digest = request_hash(request, data)
    record = _insert_claim(user, key, operation_id, digest)  # a new key, the common case: one statement
    if record is None:
        record = IdempotencyRecord.objects.select_for_update().get(user_id=user.pk, key=key)
        if record.created_at < _expired_before():
            # A key past its retention that the prune has not reached yet is new again: a new row, so a new claim
            # (whose id names the provider's key: apps.payments.services.request_key).
            record.delete()
            record = _insert_claim(user, key, operation_id, digest)
    if record.request_hash != digest or record.operation_id != operation_id:
        raise ValidationFailed.on(HEADER, "This key was used for another request.")
    return record


def _key_of(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is not None and (not key or len(key) > MAX_KEY_LENGTH or not key.isprintable()):
        raise ValidationFailed.on(HEADER, f"An idempotency key is 1 to {MAX_KEY_LENGTH} printable characters.")
    return key


def _insert_claim(user, key: str, operation_id: str, digest: str) -> IdempotencyRecord | None:
    """The key's new record, inserted (and so locked until the transaction ends); None when the key has one."""
    table = IdempotencyRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""INSERT INTO {table} (user_id, key, operation_id, request_hash, created_at)
                           VALUES (%s, %s, %s, %s, now()) ON CONFLICT (user_id, key) DO NOTHING
                           RETURNING id, created_at""", [user.pk, key, operation_id, digest])
        row = cursor.fetchone()
    if row is None:
        return None
    names = ["id", "user_id", "key", "operation_id", "request_hash", "status_code", "response", "created_at"]
    return IdempotencyRecord.from_db(connection.alias, names,
                                     [row[0], user.pk, key, operation_id, digest, None, None, row[1]])


def claim_stepped(request, user, operation_id: str, data=None) -> IdempotencyRecord | None:
    """`claim` for a stepped write: committed before the handler runs (its steps commit on their own). Without a
    key, nothing to claim: no transaction (two round trips saved on every such request)."""
    key = _key_of(request)
    if key is None:
        return None
    # A new key, the common case: its one INSERT commits on its own. Taken: read and checked under its lock.
    record = _insert_claim(user, key, operation_id, request_hash(request, data))
    if record is None:
        with transaction.atomic():
            record = claim(request, user, operation_id, data)
            replay_if_answered(record)
    return record


def release_failed(record: IdempotencyRecord | None, response, *, provider_pending: bool) -> None:
    """A stepped write's error answer gives the key back (as a rollback does for the others), unless the provider
    has not answered yet (`provider_pending`): then a retry must find the claim, and with it the attempt under way."""
    if record is None or response.status_code < 400 or provider_pending:
        return
    IdempotencyRecord.objects.filter(pk=record.pk, status_code__isnull=True).delete()


def _expired_before():
    return timezone.now() - timedelta(days=settings.IDEMPOTENCY_RETENTION_DAYS)


def prune() -> int:
    """Delete the answers past their retention; returns how many."""
    return IdempotencyRecord.objects.filter(created_at__lt=_expired_before()).delete()[0]


def replay_if_answered(record: IdempotencyRecord | None) -> None:
    if record is None or record.status_code is None:
        return
    response = Response(json.loads(record.response), status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    raise Replay(response)


def remember(record: IdempotencyRecord | None, response) -> None:
    if record is None or record.status_code is not None or response.status_code >= 400:
        return
    # Stored as the JSON the client got (decimals as numbers), replayed through the same envelope.
    record.status_code = response.status_code
    record.response = (JSONRenderer().render(response.data) or b"null").decode()
    # A filtered update: a stepped write's concurrent retry may have given the claim back meanwhile.
    IdempotencyRecord.objects.filter(pk=record.pk, status_code__isnull=True).update(
        status_code=record.status_code, response=record.response)
