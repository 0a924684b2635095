"""`create_once`: Django's get_or_create for rows named by a unique key that is new in the common case (a payment
attempt's key, a vehicle command's): outside a transaction, one INSERT committed on its own, and the row already there
when the key is taken; inside one, get_or_create (a read, then the insert in a savepoint). The common case costs one
statement instead of five (BEGIN, SELECT, SAVEPOINT, INSERT, RELEASE, COMMIT)."""
from __future__ import annotations

from django.db import IntegrityError, transaction


def create_once(model, *, key: dict, fields: dict):
    """(row, created): the row with the unique `key` (a field: value dict), created with `fields` if missing."""
    if transaction.get_connection().in_atomic_block:
        return model.objects.get_or_create(**key, defaults=fields)
    try:
        return model.objects.create(**key, **fields), True
    except IntegrityError:
        existing = model.objects.filter(**key).first()
        if existing is None:  # another constraint than the key's
            raise
        return existing, False
