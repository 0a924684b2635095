import itertools

from apps.networks.tests.factories import make_network
from apps.reference.models import Country
from apps.stocks.models import Stock, StockedVehicle

_seq = itertools.count(1)


def make_stock(*, network=None, **fields) -> Stock:
    fields.setdefault("name", f"Depot {next(_seq)}")
    fields.setdefault("country", Country.objects.get(alpha_2="FR"))
    fields.setdefault("city", "Lyon")
    fields.setdefault("zipcode", "69007")
    fields.setdefault("street", "12 rue de Gerland")
    return Stock.objects.create(network=network or make_network(), **fields)


def store(vehicle, stock, *, automatic=False):
    from django.utils import timezone

    return StockedVehicle.objects.create(vehicle=vehicle, stock=stock, entered_at=timezone.now(), automatic=automatic)
