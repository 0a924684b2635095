import itertools
from decimal import Decimal

from apps.applabels.tests.factories import make_app_label
from apps.networks.models import Network, ThirdParty
from apps.reference.models import Country, Currency

_seq = itertools.count(1)


def make_third_party(**fields) -> ThirdParty:
    fields.setdefault("name", f"Owner {next(_seq)}")
    fields.setdefault("address", "1 Main Street")
    fields.setdefault("zipcode", "75001")
    fields.setdefault("city", "Paris")
    fields.setdefault("country", Country.objects.get(alpha_2="FR"))
    return ThirdParty.objects.create(**fields)


def make_network(**fields) -> Network:
    fields.setdefault("name", f"Network {next(_seq)}")
    fields.setdefault("default_vat", Decimal("0.2"))
    fields.setdefault("country", Country.objects.get(alpha_2="FR"))
    fields.setdefault("currency", Currency.objects.get(code="EUR"))
    fields.setdefault("default_vehicle_guarantee", Decimal("150"))
    fields.setdefault("trip_to_skip_pre_auth_guarantee", -1)
    fields.setdefault("timezone", "Europe/Paris")
    if "app_label" not in fields:
        fields["app_label"] = make_app_label()
    return Network.objects.create(**fields)
