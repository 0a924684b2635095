"""create_once: one INSERT outside a transaction, the existing row when the key is taken, and any other constraint's
error raised; get_or_create inside a transaction."""
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core.create_once import create_once
from apps.core.models import IdempotencyRecord
from apps.fleet.models import IotCommand
from apps.fleet.tests.factories import make_vehicle

FIELDS = {"operation_id": "startTrip", "request_hash": "h"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_a_new_key_is_one_statement_and_a_taken_one_its_row():
    with CaptureQueriesContext(connection) as ran:
        row, created = create_once(IdempotencyRecord, key={"user_id": 1, "key": "k-1"}, fields=FIELDS)
    assert created and len(ran.captured_queries) == 1
    again, created = create_once(IdempotencyRecord, key={"user_id": 1, "key": "k-1"},
                                 fields={**FIELDS, "operation_id": "endTrip"})
    assert (again.pk, again.operation_id, created) == (row.pk, "startTrip", False)  # the stored row, unchanged
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_constraint_than_the_keys_is_raised():
    vehicle = make_vehicle()
    with pytest.raises(IntegrityError):  # no such vehicle: not the key's conflict
        create_once(IotCommand, key={"idempotency_key": "lock-1"},
                    fields={"vehicle_id": vehicle.pk + 1000, "network_id": vehicle.network_id, "command": "lock"})
    assert not IotCommand.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inside_a_transaction_a_taken_key_leaves_the_transaction_usable():
    create_once(IdempotencyRecord, key={"user_id": 1, "key": "k-1"}, fields=FIELDS)
    with transaction.atomic():
        row, created = create_once(IdempotencyRecord, key={"user_id": 1, "key": "k-1"}, fields=FIELDS)
        assert not created
        IdempotencyRecord.objects.create(user_id=1, key="k-2", **FIELDS)  # the transaction goes on
    assert IdempotencyRecord.objects.count() == 2
