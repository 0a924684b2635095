import itertools

from django.utils import timezone

from apps.networks.tests.factories import make_network
from apps.riders.models import Badge, Device, NetworkMembership, RiderMessage
from apps.riders.services import record_activity
from apps.trips.tests.factories import make_rider

_seq = itertools.count(1)


def make_member(network=None, **fields):
    """A rider who interacted with `network` (a new one when not given)."""
    rider = make_rider(**fields)
    record_activity(rider_id=rider.pk, network_id=(network or make_network()).pk, at=timezone.now())
    return rider


def membership_of(rider) -> NetworkMembership:
    return NetworkMembership.objects.filter(rider=rider).first()


def make_device(rider, device_id=None, **fields) -> Device:
    now = timezone.now()
    fields.setdefault("platform", "android")
    return Device.objects.create(rider=rider, device_id=device_id or f"device-{next(_seq)}", first_seen_at=now,
                                 last_seen_at=now, **fields)


def make_badge(rider, **fields) -> Badge:
    fields.setdefault("number", f"BADGE{next(_seq):06d}")
    return Badge.objects.create(rider=rider, **fields)


def make_message(rider, channel="email", **fields) -> RiderMessage:
    fields.setdefault("body", "Hello")
    return RiderMessage.objects.create(rider=rider, channel=channel, **fields)


def make_payment_method(rider, **fields):
    from apps.payments.models import PaymentMethod

    n = next(_seq)
    fields.setdefault("provider", "local")
    fields.setdefault("provider_reference", f"pm_{n}")
    fields.setdefault("method_type", "card")
    fields.setdefault("brand", "visa")
    fields.setdefault("last4", f"{n % 10000:04d}")
    fields.setdefault("fingerprint", f"fp{n}")
    return PaymentMethod.objects.create(rider=rider, **fields)
