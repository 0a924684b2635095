"""The rider simulator drives the real HTTP API of a running server: riders sign up, ride and pay."""
from decimal import Decimal

import pytest
from django.core.management import call_command

from apps.fleet.tests.factories import make_vehicle
from apps.networks.tests.factories import make_network
from apps.payments.models import Transaction
from apps.pricing.tests.factories import make_rule
from apps.trips.models import PaymentStatus, Trip, TripState


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simulated_riders_sign_up_ride_and_pay_through_the_api(live_server, capsys):
    network = make_network()
    make_rule(network=network)
    for n in range(6):
        make_vehicle(network=network, battery_level=90, latitude=Decimal("45.7640") + Decimal(n) / 1000,
                     longitude=Decimal("4.8357"))
    call_command("simulate_riders", "--base-url", live_server.url, "--app-label", network.app_label.name,
                 "--riders", "2", "--trips", "2", "--radius", "1500")
    out = capsys.readouterr().out
    assert out.startswith("4 trips in "), out
    trips = Trip.objects.filter(rider__email__endswith="@simulated.invalid")
    assert trips.filter(state=TripState.FINISHED, payment_status=PaymentStatus.PAID).count() == 4
    assert Transaction.objects.filter(trip__in=trips, status="paid").count() == 4
    assert not Trip.objects.filter(state__in=["running", "on-hold"]).exists()
