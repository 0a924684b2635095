"""Network settings through the HTTP API: access rules, rewards, speeds, rent settings and timings, per-model
settings and guarantees, and pushing settings to the vehicles."""
from decimal import Decimal

import pytest

from apps.access.tests.factories import make_unit
from apps.applabels.tests.factories import make_app_label
from apps.core.testing.responses import code, fields_of
from apps.fleet.models import IotCommand, VehicleModel
from apps.fleet.tests.factories import make_vehicle
from apps.netconfig.models import NetworkAccessRule, NetworkSettings, VehicleModelGuarantee, VehicleModelSettings
from apps.netconfig.selectors import access_rules_admitting
from apps.netconfig.services import vehicle_settings_push_run
from apps.networks.tests.factories import make_network
from apps.organizations.tests.factories import make_organization
from apps.reference.models import Currency

from .test_api_contract import FREEFLOAT, RENT, SPEEDS, TIMINGS

API = "/api/dashboard/v1/networks"


def send(client, method, url, body, *, multipart=False):
    if multipart:
        return getattr(client, method)(url, body, format="multipart")
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.fixture
def network(db):
    return make_network()


# --- access rules -------------------------------------------------------------------------------------

def test_access_rules_crud(admin_client, network):
    organization, label = make_organization(), make_app_label()
    url = f"{API}/{network.pk}/access-rules"
    rule_id = send(admin_client, "post", url, {"email_pattern": "%@ACME.com"}).json()["data"]
    assert isinstance(rule_id, int)
    assert code(send(admin_client, "post", url, {"organization": organization.pk, "app_label": label.pk})) == 0
    rules = admin_client.get(url).json()["data"]
    assert [(r["email_pattern"], r["organization"], r["app_label"]) for r in rules] == [
        ("%@acme.com", None, None),
        (None, {"id": organization.pk, "name": organization.name}, {"id": label.pk, "name": label.name})]

    body = {"email_pattern": None, "organization": organization.pk, "app_label": None}
    assert code(send(admin_client, "put", f"{url}/{rule_id}", body)) == 0
    rule = NetworkAccessRule.objects.get(pk=rule_id)
    assert (rule.email_pattern, rule.organization_id) == (None, organization.pk)
    assert code(admin_client.delete(f"{url}/{rule_id}")) == 0
    assert code(admin_client.delete(f"{url}/{rule_id}")) == -5
    other_rule = NetworkAccessRule.objects.create(network=make_network(), email_pattern="%")
    assert code(admin_client.delete(f"{url}/{other_rule.pk}")) == -5  # a rule of another network


@pytest.mark.parametrize("body, field", [
    ({}, "email_pattern"),
    ({"email_pattern": "a b"}, "email_pattern"),
    ({"email_pattern": "%@acme.com\\"}, "email_pattern"),
    ({"email_pattern": "é@x"}, "email_pattern"),
    ({"organization": 999999}, "organization"),
    ({"app_label": "1"}, "app_label"),
])
def test_access_rule_validation(admin_client, network, body, field):
    response = send(admin_client, "post", f"{API}/{network.pk}/access-rules", body)
    assert code(response) == -2 and field in fields_of(response)
    assert not NetworkAccessRule.objects.exists()


def test_email_patterns_are_postgresql_like_patterns(network):
    acme = NetworkAccessRule.objects.create(network=network, email_pattern="%@acme.com")
    one = NetworkAccessRule.objects.create(network=network, email_pattern="bob_@example.org")
    organization = make_organization()
    member = NetworkAccessRule.objects.create(network=network, organization=organization)
    rules = NetworkAccessRule.objects.all()
    admitted = lambda email, **kw: set(access_rules_admitting(rules=rules, email=email, **kw))  # noqa: E731
    assert admitted("Jane@ACME.com") == {acme}
    assert admitted("jane@acme.com.evil") == set()
    assert admitted("bob1@example.org") == {one} and admitted("bob12@example.org") == set()
    assert admitted("x@y.z", organization_ids=[organization.pk]) == {member}


# --- rewards, speeds, rent settings and timings ----------------------------------------------------------

def test_sponsorship_amounts_are_rounded_to_the_currency(admin_client, network):
    network.currency = Currency.objects.get(code="JPY")
    network.save()
    assert code(send(admin_client, "put", f"{API}/{network.pk}/sponsorship",
                     {"sponsoring_reward": 500.4, "sponsored_reward": 250})) == 0
    settings = NetworkSettings.objects.get(network=network)
    assert (settings.sponsoring_reward, settings.sponsored_reward) == (Decimal("500"), Decimal("250"))
    rent = admin_client.get(f"{API}/{network.pk}/rent-settings").json()["data"]
    assert (rent["sponsoring_reward"], rent["currency"]) == (500, "JPY")


def test_settings_read_as_defaults_until_written(admin_client, network):
    speeds = admin_client.get(f"{API}/{network.pk}/speed-settings").json()["data"]
    assert speeds == {"default_low_speed": 15, "default_medium_speed": 20, "default_high_speed": 25,
                      "min_battery_to_slow_down": None, "battery_slow_down_speed": None}
    assert not NetworkSettings.objects.exists()  # reading writes nothing


def test_speed_settings(admin_client, network):
    url = f"{API}/{network.pk}/speed-settings"
    assert code(send(admin_client, "put", url, SPEEDS, multipart=True)) == 0
    assert admin_client.get(url).json()["data"] == SPEEDS
    cleared = {**SPEEDS, "min_battery_to_slow_down": "", "battery_slow_down_speed": ""}  # empty: null
    assert code(send(admin_client, "put", url, cleared, multipart=True)) == 0
    assert admin_client.get(url).json()["data"]["battery_slow_down_speed"] is None


@pytest.mark.parametrize("change, field", [
    ({"default_low_speed": 20, "default_medium_speed": 18}, "default_medium_speed"),
    ({"default_high_speed": 46}, "default_high_speed"),
    ({"default_low_speed": 0}, "default_low_speed"),
    ({"battery_slow_down_speed": ""}, "battery_slow_down_speed"),  # one without the other
    ({"battery_slow_down_speed": 13}, "battery_slow_down_speed"),  # faster than the low speed
    ({"min_battery_to_slow_down": 101}, "min_battery_to_slow_down"),
])
def test_speed_settings_rules(admin_client, network, change, field):
    response = send(admin_client, "put", f"{API}/{network.pk}/speed-settings", {**SPEEDS, **change}, multipart=True)
    assert code(response) == -2 and field in fields_of(response)
    assert not NetworkSettings.objects.exists()


def test_rent_settings_and_timings(admin_client, network):
    assert code(send(admin_client, "put", f"{API}/{network.pk}/rent-settings", RENT)) == 0
    assert code(send(admin_client, "put", f"{API}/{network.pk}/rent-timings", TIMINGS)) == 0
    data = admin_client.get(f"{API}/{network.pk}/rent-settings").json()["data"]
    assert {k: data[k] for k in RENT} == RENT and {k: data[k] for k in TIMINGS} == TIMINGS
    network.refresh_from_db()
    assert (network.default_vehicle_guarantee, network.trip_to_skip_pre_auth_guarantee) == (Decimal("200"), 3)


@pytest.mark.parametrize("change, field", [
    ({"min_battery_to_rent": 9}, "min_battery_to_rent"), ({"min_battery_to_rent": 96}, "min_battery_to_rent"),
    ({"max_simultaneous_rented_vehicle": 11}, "max_simultaneous_rented_vehicle"),
    ({"min_battery_to_auto_lock": 51}, "min_battery_to_auto_lock"),
    ({"trip_to_skip_pre_auth_guarantee": -2}, "trip_to_skip_pre_auth_guarantee"),
    ({"default_vehicle_guarantee": -1}, "default_vehicle_guarantee"),
    ({"trip_on_hold": "yes"}, "trip_on_hold"),
])
def test_rent_settings_ranges(admin_client, network, change, field):
    guarantee = network.default_vehicle_guarantee
    response = send(admin_client, "put", f"{API}/{network.pk}/rent-settings", {**RENT, **change})
    assert code(response) == -2 and field in fields_of(response)
    network.refresh_from_db()
    assert network.default_vehicle_guarantee == guarantee and not NetworkSettings.objects.exists()


@pytest.mark.parametrize("change, field", [
    ({"trip_too_long_notifications": 3599}, "trip_too_long_notifications"),
    ({"trip_too_long_notifications_frequency": 899}, "trip_too_long_notifications_frequency"),
    ({"vehicle_stolen": 43199}, "vehicle_stolen"), ({"vehicle_stolen": 2592001}, "vehicle_stolen"),
    ({"trip_auto_pause": 604801}, "trip_auto_pause"),
    ({"trip_too_long_notifications": 90000, "vehicle_stolen": 86400}, "vehicle_stolen"),
    ({"trip_auto_lock": 3600}, "trip_auto_lock"),  # before the first "too long" notification
])
def test_rent_timings_ranges_and_order(admin_client, network, change, field):
    response = send(admin_client, "put", f"{API}/{network.pk}/rent-timings", {**TIMINGS, **change})
    assert code(response) == -2 and field in fields_of(response)
    assert not NetworkSettings.objects.exists()


def test_freefloat_reward_fields_are_optional_and_nullable(admin_client, network):
    url = f"{API}/{network.pk}/freefloat-reward"
    assert code(send(admin_client, "put", url, FREEFLOAT)) == 0
    assert code(send(admin_client, "put", url, {"freefloat_to_station_free_credits": None})) == 0
    data = admin_client.get(url).json()["data"]
    assert data == {**FREEFLOAT, "freefloat_to_station_free_credits": None}
    response = send(admin_client, "put", url, {"freefloat_to_station_min_battery": 101})
    assert code(response) == -2


# --- per-model settings and guarantees; pushing settings to vehicles -------------------------------------

def test_vehicle_model_settings_and_guarantees(admin_client, network):
    bike, scooter = (VehicleModel.objects.create(name=name) for name in ("E-Bike V9", "E-Scooter S9"))
    base = f"{API}/{network.pk}/vehicle-models"
    assert code(send(admin_client, "put", f"{base}/{bike.pk}/settings", {"auto_light": "true", "speed_mode": "1"},
                     multipart=True)) == 0
    assert code(send(admin_client, "put", f"{base}/{bike.pk}/settings", {"auto_light": "false", "speed_mode": ""},
                     multipart=True)) == 0  # an update, and an empty mode unlocks the speed button
    assert code(send(admin_client, "put", f"{base}/{scooter.pk}/guarantees", {"guarantee": "300.005", "pre_auth": "50"},
                     multipart=True)) == 0
    settings = admin_client.get(f"{base}/settings").json()["data"]
    assert [(s["model"]["name"], s["auto_light"], s["speed_mode"]) for s in settings] == [("E-Bike V9", False, None)]
    guarantees = admin_client.get(f"{base}/guarantees").json()["data"]
    assert [(g["model"]["name"], g["guarantee"], g["pre_auth"]) for g in guarantees] == [("E-Scooter S9", 300.01, 50)]
    assert code(send(admin_client, "put", f"{base}/999999/settings", {"auto_light": "true", "speed_mode": "1"},
                     multipart=True)) == -5
    response = send(admin_client, "put", f"{base}/{bike.pk}/settings", {"auto_light": "true", "speed_mode": "4"},
                    multipart=True)
    assert code(response) == -2 and "speed_mode" in fields_of(response)
    assert VehicleModelSettings.objects.count() == 1 and VehicleModelGuarantee.objects.count() == 1


def test_reset_sends_the_settings_to_every_vehicle_once(admin_client, network, django_capture_on_commit_callbacks):
    from django.utils import timezone

    model = VehicleModel.objects.create(name="E-Bike V9")
    VehicleModelSettings.objects.create(network=network, model=model, auto_light=True, speed_mode=1)
    bikes = [make_vehicle(network=network, model_name="E-Bike V9") for _ in range(3)]
    scooter = make_vehicle(network=network, model_name="E-Scooter S9")
    make_vehicle(network=network, decommissioned_at=timezone.now())
    make_vehicle()  # another network
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert code(admin_client.post(f"{API}/{network.pk}/vehicle-settings/reset")) == 0
    assert len(callbacks) == 1
    commands = {c.vehicle_id: c.payload for c in IotCommand.objects.all()}
    assert set(commands) == {b.pk for b in bikes} | {scooter.pk}
    assert commands[bikes[0].pk] == {"speeds": [15, 20, 25], "min_battery_to_slow_down": None,
                                     "battery_slow_down_speed": None, "auto_light": True, "speed_mode": 1}
    assert commands[scooter.pk]["auto_light"] is False
    from apps.netconfig.models import VehicleSettingsPush

    push = VehicleSettingsPush.objects.get()
    assert (push.vehicle_count, push.completed_at is not None) == (4, True)
    assert vehicle_settings_push_run(push_id=push.pk) == 4 and IotCommand.objects.count() == 4  # a rerun resends nothing


def test_a_network_admin_cannot_touch_another_networks_settings(client, staff_user, grant_access, network):
    other = make_network()
    rule = NetworkAccessRule.objects.create(network=other, email_pattern="%")
    grant_access(staff_user, "networks.manage", write=True, where=make_unit(networks=[network]))
    client.force_login(staff_user)
    assert code(client.get(f"{API}/{other.pk}/rent-settings")) == -5
    assert code(send(client, "put", f"{API}/{other.pk}/rent-timings", TIMINGS)) == -5
    assert code(client.delete(f"{API}/{other.pk}/access-rules/{rule.pk}")) == -5
    assert code(client.delete(f"{API}/{network.pk}/access-rules/{rule.pk}")) == -5
    assert code(client.post(f"{API}/{other.pk}/vehicle-settings/reset")) == -5
    assert NetworkAccessRule.objects.filter(pk=rule.pk).exists() and not NetworkSettings.objects.exists()
