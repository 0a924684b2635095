"""Each alert rule through ingestion: raised once while its condition holds, resolved when it ends."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.fleet.models import FleetAlert
from apps.fleet.services import fleet_alerts_resolve
from apps.geofencing.models import BorderSettings, NetworkBorder, NoParkingZone, SpeedZone
from apps.geofencing.tests.factories import SQUARE
from apps.telemetry.models import AlertThresholds, VehicleState
from apps.telemetry.rules import raise_offline_alerts
from apps.trips.models import TripState
from apps.trips.tests.factories import make_trip

from .factories import LYON, fitted_vehicle, make_provider, message, meters_north, report


@pytest.fixture
def fleet(db):
    provider, token = make_provider()
    vehicle = fitted_vehicle(provider)

    def send(**values):
        response = report(token, message(vehicle, **values))
        assert response.status_code == 200 and response.json()["data"]["accepted"] == 1, response.content
        return _open(vehicle)

    return vehicle, send


def _open(vehicle) -> list[str]:
    return sorted(FleetAlert.objects.filter(vehicle=vehicle, resolved_at__isnull=True).values_list("rule", flat=True))


def _alerts(vehicle, rule):
    return list(FleetAlert.objects.filter(vehicle=vehicle, rule=rule).order_by("id"))


def _shape(model, network, **fields):
    row = model(network=network, **fields)
    row.set_shape(SQUARE)
    row.save()
    return row


def test_low_battery_is_raised_once_and_resolved_by_a_charge(fleet):
    vehicle, send = fleet
    assert send(seconds_ago=30, battery=20) == []
    assert send(seconds_ago=20, battery=12) == ["low-battery"]
    assert send(seconds_ago=10, battery=9) == ["low-battery"]
    assert send(seconds_ago=1, battery=95) == []
    [alert] = _alerts(vehicle, "low-battery")
    assert (alert.alert_type, alert.severity, alert.network_id) == ("vehicle-low-battery", "low", vehicle.network_id)
    assert alert.resolved_at is not None and alert.resolved_by is None
    assert "12%" in alert.message


def test_the_low_battery_threshold_is_the_networks(fleet):
    vehicle, send = fleet
    AlertThresholds.objects.create(network=vehicle.network, low_battery=30)
    assert send(battery=25) == ["low-battery"]


def test_a_silent_vehicle_is_offline_once_until_it_reports(fleet):
    vehicle, send = fleet
    send(seconds_ago=3600)
    assert raise_offline_alerts() == 1 and raise_offline_alerts() == 0
    assert _open(vehicle) == ["offline"]
    AlertThresholds.objects.create(network=vehicle.network, offline_after=7200)
    FleetAlert.objects.filter(vehicle=vehicle).delete()
    assert raise_offline_alerts() == 0  # within its network's threshold
    AlertThresholds.objects.filter(network=vehicle.network).update(offline_after=1800)
    assert raise_offline_alerts() == 1
    assert send(seconds_ago=1) == []
    assert _alerts(vehicle, "offline")[0].resolved_at is not None


def test_a_decommissioned_vehicle_is_not_offline(fleet):
    vehicle, send = fleet
    send(seconds_ago=3600)
    vehicle.decommissioned_at = timezone.now()
    vehicle.save()
    assert raise_offline_alerts() == 0


def test_moving_without_a_trip_is_a_theft_until_it_is_back(fleet):
    vehicle, send = fleet
    assert send(seconds_ago=50, position=LYON) == []
    assert send(seconds_ago=40, position=meters_north(LYON, 100)) == []  # within 150 m of where it was left
    assert send(seconds_ago=30, position=meters_north(LYON, 400)) == ["theft"]
    assert send(seconds_ago=20, position=meters_north(LYON, 900)) == ["theft"]
    assert send(seconds_ago=10, position=meters_north(LYON, 20)) == []
    [alert] = _alerts(vehicle, "theft")
    assert (alert.alert_type, alert.severity) == ("vehicle-illegal-moving", "critical")


def test_a_trip_moves_the_vehicle_without_a_theft(fleet):
    vehicle, send = fleet
    send(seconds_ago=50, position=LYON)
    trip = make_trip(network=vehicle.network, vehicle=vehicle, state=TripState.RUNNING,
                     started_at=timezone.now() - timedelta(minutes=1))
    assert send(seconds_ago=30, position=meters_north(LYON, 2000)) == []
    trip.state, trip.ended_at = TripState.FINISHED, timezone.now()
    trip.save()
    assert send(seconds_ago=20, position=meters_north(LYON, 2010)) == []  # left where the trip ended
    assert send(seconds_ago=10, position=meters_north(LYON, 2500)) == ["theft"]


def test_staff_resolving_a_theft_accept_the_vehicles_new_place(fleet, superuser):
    vehicle, send = fleet
    send(seconds_ago=50, position=LYON)
    assert send(seconds_ago=40, position=meters_north(LYON, 1000)) == ["theft"]
    fleet_alerts_resolve(alerts=list(FleetAlert.objects.filter(vehicle=vehicle)), actor=superuser)
    assert send(seconds_ago=30, position=meters_north(LYON, 1010)) == []
    assert send(seconds_ago=20, position=meters_north(LYON, 1500)) == ["theft"]  # a new move from there


def test_leaving_the_border_is_alerted_where_the_network_asks(fleet):
    vehicle, send = fleet
    _shape(NetworkBorder, vehicle.network)
    inside, outside = (45.7640, 4.8356), (45.80, 4.90)
    assert send(seconds_ago=40, position=outside) == []  # the network's border settings do not ask
    BorderSettings.objects.create(network=vehicle.network, trigger_alert=True)
    assert send(seconds_ago=30, position=outside) == ["outside-border"]
    assert "outside-border" not in send(seconds_ago=20, position=inside)  # (far from where it was left: a theft)
    assert _alerts(vehicle, "outside-border")[0].alert_type == "vehicle-out-of-network-area"


def test_standing_in_a_no_parking_zone_past_the_grace(fleet):
    vehicle, send = fleet
    zone = _shape(NoParkingZone, vehicle.network)
    inside = (45.7640, 4.8356)
    assert send(seconds_ago=900, position=inside) == []
    assert send(seconds_ago=700, position=inside, speed=0) == []  # 200 s at rest: within the 300 s of grace
    assert send(seconds_ago=500, position=meters_north(inside, 5)) == ["no-parking"]  # GPS drift is still rest
    assert len(_alerts(vehicle, "no-parking")) == 1
    zone.deleted_at = timezone.now()
    zone.save()
    assert send(seconds_ago=400, position=inside) == []  # the zone is gone


def test_a_vehicle_on_a_trip_in_a_no_parking_zone_is_no_alert(fleet):
    vehicle, send = fleet
    _shape(NoParkingZone, vehicle.network)
    make_trip(network=vehicle.network, vehicle=vehicle, state=TripState.ON_HOLD)
    inside = (45.7640, 4.8356)
    send(seconds_ago=900, position=inside)
    assert send(seconds_ago=10, position=inside) == []


def test_speeding_in_a_speed_zone(fleet):
    vehicle, send = fleet
    _shape(SpeedZone, vehicle.network, max_speed=15)
    make_trip(network=vehicle.network, vehicle=vehicle, state=TripState.RUNNING)
    inside, outside = (45.7640, 4.8356), (45.7700, 4.8356)
    assert send(seconds_ago=50, position=inside, speed=18) == []  # within the 3 km/h tolerated
    assert send(seconds_ago=40, position=outside, speed=30) == []  # no zone there
    assert send(seconds_ago=30, position=inside, speed=24) == ["speeding"]
    assert send(seconds_ago=20, position=inside, speed=25) == ["speeding"]
    assert send(seconds_ago=10, position=inside, speed=12) == []
    [alert] = _alerts(vehicle, "speeding")
    assert alert.message == "24 km/h in a 15 km/h zone."


def test_two_batches_opening_one_alert_make_one(fleet):
    vehicle, send = fleet
    send(seconds_ago=20, battery=5)
    VehicleState.objects.filter(vehicle=vehicle).update(reported_at=timezone.now() - timedelta(hours=1))
    FleetAlert.objects.filter(vehicle=vehicle).update(resolved_at=None)
    assert send(seconds_ago=10, battery=4) == ["low-battery"]
    assert FleetAlert.objects.filter(vehicle=vehicle, rule="low-battery", resolved_at__isnull=True).count() == 1


def test_a_vehicle_offline_again_with_another_alert_open_is_alerted(fleet):
    vehicle, send = fleet
    send(seconds_ago=7200, battery=5)  # an open low-battery alert
    assert raise_offline_alerts() == 1
    FleetAlert.objects.filter(vehicle=vehicle, rule="offline").update(resolved_at=timezone.now())
    assert raise_offline_alerts() == 1  # its earlier offline alert is resolved: silent again, alerted again
    assert _open(vehicle) == ["low-battery", "offline"]


@pytest.mark.parametrize("hands", ["maintenance", "stock"])
def test_a_vehicle_in_staffs_hands_moves_without_a_theft_and_is_left_where_they_put_it(fleet, hands):
    """Rebalancing or a workshop visit: staff carry the vehicle in a van (it is in a stock, or under an open
    maintenance); no theft alert on the way, and the place they leave it becomes where it was left."""
    from apps.fleet.tests.factories import make_maintenance
    from apps.stocks import services as stocks

    vehicle, send = fleet
    send(seconds_ago=60, position=LYON)
    if hands == "maintenance":
        maintenance = make_maintenance(target=vehicle)
    else:
        network = vehicle.network
        stock = stocks.stock_create(network=network, name="Depot", country=network.country, city="Lyon",
                                    zipcode="69001", street="1 rue")
        stocks.vehicle_put_in_stock(vehicle=vehicle, stock=stock)
    assert send(seconds_ago=50, position=meters_north(LYON, 3000)) == []
    assert send(seconds_ago=40, position=meters_north(LYON, 5000)) == []
    if hands == "maintenance":
        maintenance.ended_at = timezone.now()
        maintenance.save(update_fields=["ended_at"])
    else:
        vehicle.stock_entry.delete()
    assert send(seconds_ago=30, position=meters_north(LYON, 5010)) == []  # left where staff put it
    assert send(seconds_ago=20, position=meters_north(LYON, 6000)) == ["theft"]  # then moved without a trip


def test_a_vehicle_taken_out_of_an_auto_stock_area_without_a_trip_is_a_theft(fleet):
    """An auto-stock area is a place vehicles are left at, not staff's hands."""
    from apps.stocks.models import StockedVehicle
    from apps.stocks import services as stocks

    vehicle, send = fleet
    send(seconds_ago=60, position=LYON)
    network = vehicle.network
    stock = stocks.stock_create(network=network, name="Yard", country=network.country, city="Lyon", zipcode="69001",
                                street="1 rue")
    StockedVehicle.objects.create(vehicle=vehicle, stock=stock, entered_at=timezone.now(), automatic=True)
    assert send(seconds_ago=50, position=meters_north(LYON, 3000)) == ["theft"]
