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
def test_simulated_riders_sign_up_ride_and_pay_through_the_api_and_their_vehicles_report(live_server, capsys):
    from apps.telemetry.models import TelemetryMessage
    from apps.telemetry.tests.factories import make_provider
    from apps.telemetry.models import TelemetryDevice

    network = make_network()
    make_rule(network=network)
    provider, token = make_provider()
    for n in range(6):
        vehicle = make_vehicle(network=network, battery_level=90, latitude=Decimal("45.7640") + Decimal(n) / 1000,
                               longitude=Decimal("4.8357"))
        TelemetryDevice.objects.create(provider=provider, vehicle=vehicle, device_id=f"box-{n}")
    call_command("simulate_riders", "--base-url", live_server.url, "--app-label", network.app_label.name,
                 "--riders", "2", "--trips", "2", "--radius", "1500", "--ride-seconds", "0.3",
                 "--telemetry-token", token)
    out = capsys.readouterr().out
    assert out.startswith("4 trips in "), out
    # Each ridden vehicle reported its way (one step of a short ride) and its place at the end; every vehicle its
    # place at the first heartbeat.
    ridden = Trip.objects.filter(rider__email__endswith="@simulated.invalid").values_list("vehicle_id", flat=True)
    assert TelemetryMessage.objects.filter(vehicle_id__in=ridden).count() >= 4 * 2
    assert set(TelemetryMessage.objects.values_list("vehicle__telemetry_device__device_id", flat=True)) == {
        f"box-{n}" for n in range(6)}
    assert "vehicle messages" in out
    trips = Trip.objects.filter(rider__email__endswith="@simulated.invalid")
    assert trips.filter(state=TripState.FINISHED, payment_status=PaymentStatus.PAID).count() == 4
    assert Transaction.objects.filter(trip__in=trips, status="paid").count() == 4
    assert not Trip.objects.filter(state__in=["running", "on-hold"]).exists()


def test_riders_ride_in_one_city_of_their_app_not_between_its_cities(db):
    from apps.trips.simulator import fleet_center

    lyon = make_network()
    paris = make_network(app_label=lyon.app_label)
    for n in range(4):
        make_vehicle(network=lyon, latitude=Decimal("45.7640") + Decimal(n) / 1000, longitude=Decimal("4.8357"))
    for n in range(2):
        make_vehicle(network=paris, latitude=Decimal("48.8566"), longitude=Decimal("2.3522"))
    label, (latitude, longitude) = fleet_center()
    assert label == lyon.app_label.name
    assert (round(latitude, 4), round(longitude, 4)) == (45.7655, 4.8357)  # Lyon's vehicles, not halfway to Paris
    assert fleet_center("nosuchapp") == ("nosuchapp", None)
