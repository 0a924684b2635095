"""The admin changes rule-bound data only through the services (issue 18): such fields are read-only on existing
objects, and actions call the services the API calls."""
from django.test import Client
from django.urls import reverse

from apps.fleet.models import Maintenance
from apps.fleet.tests.factories import make_maintenance, make_vehicle
from apps.networks.tests.factories import make_network
from apps.pricing.tests.factories import make_rule
from apps.trips.tests.factories import make_trip


def _admin(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def test_a_vehicles_network_spot_and_decommissioning_are_read_only(superuser):
    vehicle = make_vehicle()
    page = _admin(superuser).get(reverse("admin:fleet_vehicle_change", args=[vehicle.pk])).content.decode()
    for name in ("network", "spot", "decommissioned_at"):
        assert f'name="{name}"' not in page, name
    assert 'name="battery_level"' in page or 'name="serial_number"' in page  # other fields stay editable


def test_a_trip_cannot_be_typed_in_and_its_cost_is_recomputed_by_the_engine(superuser):
    client = _admin(superuser)
    assert client.get(reverse("admin:trips_trip_add")).status_code == 403
    trip = make_trip()
    make_rule(network=trip.network)  # unlock 1 + 14 min x 0.15 + freefloat lock 0.5
    page = client.get(reverse("admin:trips_trip_change", args=[trip.pk])).content.decode()
    assert 'name="amount"' not in page and 'name="network"' not in page
    response = client.post(reverse("admin:trips_trip_changelist"),
                           {"action": "recompute_cost", "_selected_action": [trip.pk]})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert str(trip.amount) == "3.6000" and trip.cost_computed_at is not None


def test_maintenances_are_closed_by_the_service(superuser):
    maintenance = make_maintenance()
    client = _admin(superuser)
    assert client.get(reverse("admin:fleet_maintenance_add")).status_code == 403  # opened by the service only
    page = client.get(reverse("admin:fleet_maintenance_change", args=[maintenance.pk])).content.decode()
    assert 'name="ended_at' not in page
    client.post(reverse("admin:fleet_maintenance_changelist"),
                {"action": "close", "confirmed": "yes", "_selected_action": [maintenance.pk]})
    assert Maintenance.objects.get(pk=maintenance.pk).ended_at is not None


def test_new_objects_still_get_their_rule_fields(superuser):
    network = make_network()
    page = _admin(superuser).get(reverse("admin:fleet_vehicle_add")).content.decode()
    assert 'name="network"' in page and str(network.pk) in page


def test_vehicles_move_and_leave_the_fleet_through_the_services(superuser):
    from apps.fleet.models import Vehicle, VehicleDecommission
    from apps.trips.models import TripState

    vehicle, riding = make_vehicle(), make_vehicle()
    make_trip(network=riding.network, vehicle=riding, state=TripState.RUNNING)
    target = make_network()
    client = _admin(superuser)
    changelist = reverse("admin:fleet_vehicle_changelist")
    response = client.post(changelist, {"action": "move_to_network", "confirmed": "yes", "network": target.pk,
                                        "_selected_action": [vehicle.pk, riding.pk]}, follow=True)
    assert Vehicle.objects.get(pk=vehicle.pk).network_id == target.pk
    assert Vehicle.objects.get(pk=riding.pk).network_id != target.pk  # refused: a trip is running on it
    assert "1 vehicle(s) moved" in response.content.decode()
    client.post(changelist, {"action": "decommission", "confirmed": "yes", "reason": "sold", "_selected_action": [vehicle.pk]})
    assert VehicleDecommission.objects.get(vehicle=vehicle).reason == "sold"
    assert Vehicle.objects.get(pk=vehicle.pk).decommissioned_at is not None


def test_the_move_action_offers_only_networks_in_the_users_scope(staff_user, grant_access):
    from apps.access.tests.factories import make_unit

    mine, theirs = make_network(name="Mine"), make_network(name="Theirs")
    make_vehicle(network=mine)
    grant_access(staff_user, "vehicles.manage", write=True, where=make_unit(networks=[mine]))
    page = _admin(staff_user).get(reverse("admin:fleet_vehicle_changelist")).content.decode()
    choices = page.split('name="network"', 1)[1].split("</select>", 1)[0]
    assert ">Mine<" in choices and "Theirs" not in choices


def test_an_action_asks_for_confirmation_listing_the_rows_and_changes_nothing_before(superuser):
    maintenance = make_maintenance()
    client = _admin(superuser)
    changelist = reverse("admin:fleet_maintenance_changelist")
    response = client.post(changelist, {"action": "close", "_selected_action": [maintenance.pk]})
    page = response.content.decode()
    assert response.status_code == 200 and "Close the selected maintenances" in page and str(maintenance) in page
    assert 'name="confirmed" value="yes"' in page and f'name="_selected_action" value="{maintenance.pk}"' in page
    assert Maintenance.objects.get(pk=maintenance.pk).ended_at is None
    client.post(changelist, {"action": "close", "confirmed": "yes", "_selected_action": [maintenance.pk]})
    assert Maintenance.objects.get(pk=maintenance.pk).ended_at is not None


def test_the_confirmation_carries_the_action_bars_choices(superuser):
    vehicle, target = make_vehicle(), make_network(name="Target")
    page = _admin(superuser).post(reverse("admin:fleet_vehicle_changelist"), {
        "action": "move_to_network", "network": target.pk, "_selected_action": [vehicle.pk]}).content.decode()
    assert f'name="network" value="{target.pk}"' in page and "<strong>Target</strong>" in page  # named, not an id


def test_vehicles_go_to_a_stock_of_their_network_through_the_service(superuser):
    from apps.fleet.models import Vehicle
    from apps.stocks.tests.factories import make_stock
    from apps.trips.models import TripState

    vehicle, riding = make_vehicle(), make_vehicle()
    make_trip(network=riding.network, vehicle=riding, state=TripState.RUNNING)
    stock, elsewhere = make_stock(network=vehicle.network), make_stock(network=riding.network)
    client = _admin(superuser)
    changelist = reverse("admin:fleet_vehicle_changelist")
    response = client.post(changelist, {"action": "move_to_stock", "confirmed": "yes", "stock": stock.pk,
                                        "_selected_action": [vehicle.pk, riding.pk]}, follow=True)
    page = response.content.decode()
    assert Vehicle.objects.get(pk=vehicle.pk).stock_entry.stock == stock
    assert "1 vehicle(s) stored" in page and "A trip is running" in page
    response = client.post(changelist, {"action": "move_to_stock", "confirmed": "yes", "stock": elsewhere.pk,
                                        "_selected_action": [vehicle.pk]}, follow=True)
    assert "another network" in response.content.decode()
    assert Vehicle.objects.get(pk=vehicle.pk).stock_entry.stock == stock  # left where it was
    from apps.stocks.models import StockedVehicle

    assert not StockedVehicle.objects.filter(vehicle=riding).exists()


def test_add_pages_are_offered_only_for_objects_that_can_land_in_the_users_scope(staff_user):
    """A staff member of one network (the whole network, or some of its clusters) is not offered Add pages for
    networks, organizations, app labels or global reference data: nothing made there could be saved in scope."""
    from django.contrib import admin

    from apps.access.models import AccessGrant
    from apps.access.tests.factories import make_grant, make_unit
    from apps.applabels.models import AppLabel
    from apps.fleet.models import Cluster, Vehicle
    from apps.fleet.tests.factories import make_cluster
    from apps.networks.models import Network
    from apps.organizations.models import Organization
    from apps.core.permissions import permission_keys
    from apps.reference.models import Currency

    network = make_network()
    whole, limited = make_unit(networks=[network]), make_unit(networks=[network], clusters=[make_cluster(
        network=network)])
    request = type("Request", (), {})()
    for unit, clusters_addable in ((whole, True), (limited, False)):
        AccessGrant.objects.filter(user=staff_user).delete()
        for key in permission_keys():
            make_grant(staff_user, key, write=True, unit=unit)
        request.user = type(staff_user).objects.get(pk=staff_user.pk)
        offered = {model: admin.site._registry[model].has_add_permission(request)
                   for model in (Network, Organization, AppLabel, Currency, Cluster, Vehicle)}
        assert offered.pop(Vehicle) is True
        assert offered.pop(Cluster) is clusters_addable
        assert not any(offered.values()), offered
        client = Client()
        client.force_login(request.user)
        for model in (Network, Organization):
            assert client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")).status_code \
                == 403
