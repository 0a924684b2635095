"""A rider pays an unpaid trip from the app: what it still owes, once, and then starts again."""
import pytest

from apps.core.testing.clients import client_for
from apps.core.testing.concurrency import at_once
from apps.payments.models import PaymentAttempt, Transaction
from apps.payments.providers import sandbox_faults
from apps.trips.models import PaymentStatus, Trip

from .test_lifecycle import API, HERE, _refused, _start, _world


def _unpaid_trip(client, vehicle) -> str:
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    with sandbox_faults(capture="decline"):
        assert client.post(f"{API}/{guid}/end", HERE, format="json").json()["Data"]["PaymentStatus"] == "failed"
    return guid


def test_a_rider_pays_his_debt_and_rides_again(db):
    network, rider, card, vehicle = _world()
    client = client_for(rider)
    guid = _unpaid_trip(client, vehicle)
    trip = Trip.objects.get(guid=guid)
    with sandbox_faults(charge="decline"):
        _refused(client.post(f"{API}/{guid}/pay"), "err_PaymentDeclined", 402)
    assert Trip.objects.get(guid=guid).payment_status == PaymentStatus.FAILED  # still a debt
    paid = client.post(f"{API}/{guid}/pay")
    assert paid.status_code == 200, paid.json()
    assert paid.json()["Data"]["PaymentStatus"] == "paid"
    # The trip's own payment stays the declined capture; the debt's payment names the trip in its title.
    payment = Transaction.objects.get(rider=rider, status="paid")
    assert payment.amount_w_vat == trip.amount - trip.discount_amount - trip.organization_amount
    assert guid in payment.product_title
    assert Transaction.objects.filter(rider=rider, status="declined").count() == 2  # the capture, the first try
    _refused(client.post(f"{API}/{guid}/pay"), "err_NoDebt")
    assert _start(client, vehicle).status_code == 200


def test_only_the_riders_own_unpaid_trip_is_paid(db):
    network, rider, card, vehicle = _world()
    guid = _start(client_for(rider), vehicle).json()["Data"]["Guid"]
    _refused(client_for(rider).post(f"{API}/{guid}/pay"), "err_NoDebt")  # running: nothing owed yet
    stranger = _world()[1]
    _refused(client_for(stranger).post(f"{API}/{guid}/pay"), "err_TripUserMismatch", 403)
    card.detached_at, card.is_default = card.created_at, False
    card.save()
    Trip.objects.filter(guid=guid).update(payment_status=PaymentStatus.FAILED)
    _refused(client_for(rider).post(f"{API}/{guid}/pay"), "err_NoPaymentMethod", 402)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_taps_on_pay_charge_once():
    network, rider, card, vehicle = _world()
    guid = _unpaid_trip(client_for(rider), vehicle)
    answers = at_once(lambda: client_for(rider).post(f"{API}/{guid}/pay"),
                      lambda: client_for(rider).post(f"{API}/{guid}/pay"))
    assert all(a.status_code in (200, 409) for a in answers), [a.json() for a in answers]
    assert Transaction.objects.filter(rider=rider, status="paid").count() == 1
    assert PaymentAttempt.objects.filter(key__contains="-debt-").count() == 1
    assert Trip.objects.get(guid=guid).payment_status == PaymentStatus.PAID

