from decimal import Decimal

from django.utils import timezone

from apps.networks.tests.factories import make_network
from apps.payments import services
from apps.payments.models import ExchangeRate, Transaction
from apps.riders.tests.factories import make_member, make_payment_method


def make_payment(network=None, rider=None, amount_w_vat="12.00", kind=Transaction.Kind.TRIP, method=None,
                 **fields) -> Transaction:
    """A paid transaction charged through the sandbox provider, with its invoice."""
    network = network or make_network()
    rider = rider or make_member(network)
    method = method or make_payment_method(rider, provider="stripe", is_default=not rider.payment_methods.exists())
    return services.payment_charge(rider=rider, network=network, kind=kind, amount_w_vat=Decimal(amount_w_vat),
                                   product_title=fields.pop("product_title", "Trip"), method=method, **fields)


def make_rate(code, rate, day=None):
    return ExchangeRate.objects.update_or_create(currency_id=code, date=day or timezone.now().date(),
                                                 defaults={"rate": Decimal(rate)})[0]
