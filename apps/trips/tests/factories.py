import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.fleet.tests.factories import make_vehicle
from apps.networks.tests.factories import make_network
from apps.trips.models import Trip, TripState

_seq = itertools.count(1)


def make_rider(**fields):
    fields.setdefault("email", f"rider-{next(_seq)}@example.com")
    return get_user_model().objects.create_user(**fields)


def make_trip(*, network=None, rider=None, **fields) -> Trip:
    started = fields.pop("started_at", timezone.now() - timedelta(hours=2))
    fields.setdefault("state", TripState.FINISHED)
    if fields["state"] == TripState.FINISHED:
        fields.setdefault("ended_at", started + timedelta(minutes=14))
        fields.setdefault("duration", 14 * 60)
        fields.setdefault("distance", 3200)
    network = network or make_network()
    if "vehicle" not in fields:
        fields["vehicle"] = make_vehicle(network=network)
    return Trip.objects.create(network=network, rider=rider or make_rider(), started_at=started, **fields)
