"""The riders' app map: the app label's networks, their stations with what a rider can take there, the geofencing
layers and a price preview; a rider of one app label reaches none of another's."""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.core.testing.clients import client_for
from apps.fleet.tests.factories import make_cluster, make_maintenance, make_station, make_vehicle
from apps.geofencing.models import NetworkBorder, NoParkingZone, SpeedZone, VirtualParking
from apps.netconfig.services import settings_update
from apps.networks.tests.factories import make_network
from apps.trips.models import Reservation

from .test_lifecycle import _refused, _world
from .test_reservations_and_parking import _second_rider, _square

MOBILE = "/api/business-mobile/v1"


def test_the_networks_of_the_riders_app_with_their_rules(db, django_assert_max_num_queries):
    network, rider, card, vehicle = _world()
    settings_update(network=network, parking_required=True, out_of_zone_fee=Decimal("3"), reservation_duration=300)
    border = NetworkBorder(network=network)
    border.set_shape([[45.70, 4.80], [45.80, 4.80], [45.80, 4.90], [45.70, 4.90]])
    border.save()
    sibling = make_network(app_label=network.app_label, name="Another city")  # same app, no settings saved
    make_network(app_label=network.app_label, closed_at=timezone.now())  # closed: not listed
    _world()  # another app label's network
    client = client_for(rider)
    with django_assert_max_num_queries(4):  # the token and rider, the networks with their settings and border
        listed = client.get(f"{MOBILE}/networks").json()["Data"]
    by_id = {n["Id"]: n for n in listed}
    assert set(by_id) == {network.pk, sibling.pk}
    mine = by_id[network.pk]
    assert (mine["ReservationSeconds"], mine["ParkingRequired"], mine["OutOfZoneFee"], mine["Currency"]) == (
        300, True, "3.00", network.currency_id)
    assert mine["Bounds"] == {"South": 45.70, "West": 4.80, "North": 45.80, "East": 4.90}
    assert (by_id[sibling.pk]["ReservationSeconds"], by_id[sibling.pk]["OutOfZoneFee"],
            by_id[sibling.pk]["Bounds"]) == (600, None, None)  # the defaults


def test_stations_show_the_vehicles_a_rider_can_take_and_the_free_docks(db):
    network, rider, card, _free_floating = _world()
    cluster = make_cluster(network=network, name="Bellecour")
    spots = list(make_station(cluster=cluster, spots=5).spots.order_by("number"))
    ready = make_vehicle(network=network, spot=spots[0], battery_level=90)
    make_maintenance(target=make_vehicle(network=network, spot=spots[1]))  # in maintenance
    held = make_vehicle(network=network, spot=spots[2], battery_level=90)
    Reservation.objects.create(network=network, rider=_second_rider(network), vehicle=held,
                               expires_at=timezone.now() + timedelta(minutes=5))  # reserved by another
    mine = make_vehicle(network=network, spot=spots[3], battery_level=90)
    Reservation.objects.create(network=network, rider=rider, vehicle=mine,
                               expires_at=timezone.now() + timedelta(minutes=5))  # reserved by this rider
    make_cluster(network=network, name="Closed", decommissioned_at=timezone.now())
    stations = client_for(rider).get(f"{MOBILE}/networks/{network.pk}/stations").json()["Data"]
    assert [(s["Id"], s["Name"], s["VehiclesAvailable"], s["DocksAvailable"]) for s in stations] == [
        (cluster.pk, "Bellecour", 2, 1)]  # ready and his own reservation; one empty spot
    assert ready.serial_number  # (docked vehicles are counted, not listed)


def test_geofencing_layers_in_force_as_geojson(db):
    network, rider, card, vehicle = _world()
    border = NetworkBorder(network=network)
    border.set_shape([[45.70, 4.80], [45.80, 4.80], [45.80, 4.90], [45.70, 4.90]])
    border.save()
    parking = _square(VirtualParking, network, Decimal("45.763"), Decimal("4.835"), capacity=8)
    zone = _square(NoParkingZone, network, Decimal("45.750"), Decimal("4.835"), name="Park lawn")
    _square(NoParkingZone, network, Decimal("45.740"), Decimal("4.835"), deleted_at=timezone.now())  # deleted
    speed = _square(SpeedZone, network, Decimal("45.760"), Decimal("4.840"), max_speed=10)
    layers = client_for(rider).get(f"{MOBILE}/networks/{network.pk}/geofencing").json()["Data"]
    assert layers["Border"]["type"] == "Polygon" and layers["Border"]["coordinates"][0][0] == [4.80, 45.70]
    assert [(p["Id"], p["Capacity"]) for p in layers["Parkings"]] == [(parking.pk, 8)]
    assert [(z["Id"], z["Name"]) for z in layers["NoParkingZones"]] == [(zone.pk, "Park lawn")]
    assert [(z["Id"], z["MaxSpeed"]) for z in layers["SpeedZones"]] == [(speed.pk, 10)]
    assert (layers["ParkingRequired"], layers["OutOfZoneFee"]) == (False, None)


def test_a_price_preview_runs_the_networks_pricing_engine(db):
    network, rider, card, vehicle = _world()  # 1.00 to unlock, 0.15 a minute, 0.50 to lock free-floating
    client = client_for(rider)
    preview = client.get(f"{MOBILE}/vehicles/price-preview", {"VehicleCode": vehicle.serial_number,
                                                               "Minutes": 10}).json()["Data"]
    assert (preview["Total"], preview["Currency"], preview["Minutes"]) == ("3.00", network.currency_id, 10)
    assert {line["Kind"] for line in preview["Lines"]} >= {"unlock", "use", "freefloat_lock"}
    assert client.get(f"{MOBILE}/vehicles/price-preview",
                      {"VehicleCode": vehicle.serial_number}).json()["Data"]["Minutes"] == 20  # the default
    for bad in ({"VehicleCode": vehicle.serial_number, "Minutes": 0},
                {"VehicleCode": vehicle.serial_number, "Minutes": 1441}, {"Minutes": 5}):
        _refused(client.get(f"{MOBILE}/vehicles/price-preview", bad), "err_InvalidElement", 400)


def test_a_rider_reaches_no_network_or_vehicle_of_another_app(db):
    network, rider, card, vehicle = _world()
    other_network, _other_rider, _card, other_vehicle = _world()
    client = client_for(rider)
    for path in ("stations", "geofencing"):
        _refused(client.get(f"{MOBILE}/networks/{other_network.pk}/{path}"), "err_NetworkNotFound", 404)
        _refused(client.get(f"{MOBILE}/networks/0/{path}"), "err_InvalidElement", 400)
        _refused(client_for().get(f"{MOBILE}/networks/{network.pk}/{path}"), "err_Generic", 401)
    _refused(client.get(f"{MOBILE}/vehicles/price-preview", {"VehicleCode": other_vehicle.serial_number}),
             "err_VehicleNotFound", 404)
    assert [n["Id"] for n in client.get(f"{MOBILE}/networks").json()["Data"]] == [network.pk]


def test_a_price_preview_counts_the_riders_pass_and_organization_without_using_them(db):
    from apps.commerce.models import UserPass
    from apps.commerce.services import pass_create
    from apps.organizations.models import OrganizationRule
    from apps.organizations.tests.factories import make_organization

    network, rider, card, vehicle = _world()  # 1.00 to unlock, 0.15 a minute, 0.50 to lock free-floating
    offered = pass_create(network=network, title="Ten minutes", available=True, price=Decimal("1"), duration=600,
                          validity="day")
    held = UserPass.objects.create(rider=rider, pass_bought=offered, price_paid=Decimal("1"), remaining_seconds=600)
    employer = make_organization(name="Acme")
    employer.members.add(rider)
    OrganizationRule.objects.create(organization=employer, network=network, start_dow=0, start_hod=0, end_dow=0,
                                    end_hod=0, paid_by_org_ratio=Decimal("0.5"), rule_name="All week",
                                    network_name=network.name)
    preview = client_for(rider).get(f"{MOBILE}/vehicles/price-preview", {"VehicleCode": vehicle.serial_number,
                                                                         "Minutes": 20}).json()["Data"]
    assert (preview["Total"], preview["CoveredMinutes"], preview["CoveredAmount"], preview["CoveredBy"]) == (
        "4.50", 10, "1.50", "pass")
    assert (preview["OrganizationAmount"], preview["AmountDue"]) == ("1.50", "1.50")  # half of the 3.00 left
    held.refresh_from_db()
    assert (held.remaining_seconds, held.activated_at) == (600, None)  # read, not used
