"""Notification settings of a network and their targets."""
import pytest
from django.contrib.auth import get_user_model

from apps.access.tests.factories import make_unit
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.core.testing.responses import code
from apps.networks.tests.factories import make_network
from apps.notifications.models import NotificationSetting, NotificationTarget

API = "/api/dashboard/v1/networks"
SETTING = {"notification_type": "fleet-alert", "alert_types": ["vehicle-fallen", "vehicle-lifted"],
           "alert_severities": ["high", "critical"], "check_interval": 600, "check_delay": 60}


def make_setting(network=None, **fields):
    values = {**SETTING, **fields}
    return NotificationSetting.objects.create(network=network or make_network(), **values)


def make_staff(email=None):
    n = get_user_model().objects.count()
    return get_user_model().objects.create_user(email=email or f"staff{n}@example.com", is_staff=True)


def _setting_path():
    setting = make_setting()
    return {"network_id": setting.network_id, "notification_id": setting.pk}


def _with_target():
    setting = make_setting()
    user = make_staff()
    NotificationTarget.objects.create(setting=setting, user=user)
    return Request(path_params={"network_id": setting.network_id, "notification_id": setting.pk},
                   query={"user_id": user.pk})


CASES = [
    OperationCase("listNetworkNotificationSettings", lambda: Request(path_params={"network_id": make_setting().network_id})),
    OperationCase("createNetworkNotificationSetting", lambda: Request(path_params={"network_id": make_network().pk},
                                                                      body=SETTING)),
    OperationCase("updateNetworkNotificationSetting", lambda: Request(path_params=_setting_path(),
                                                                      body={**SETTING, "alert_severities": ["low"]})),
    OperationCase("deleteNetworkNotificationSetting", lambda: Request(path_params=_setting_path())),
    OperationCase("addNetworkNotificationTarget", lambda: Request(path_params=_setting_path(),
                                                                  body={"user_id": make_staff().pk})),
    OperationCase("deleteNetworkNotificationTarget", _with_target),
]

globals().update(contract_tests(CASES))


@pytest.fixture
def network(db):
    return make_network()


def test_settings_with_their_targets(admin_client, network, django_assert_max_num_queries):
    url = f"{API}/{network.pk}/notifications"
    created = admin_client.post(url, {**SETTING, "alert_types": ["vehicle-fallen", "vehicle-fallen"]},
                                content_type="application/json").json()["data"]
    assert created["alert_types"] == ["vehicle-fallen"]  # repeated items are kept once
    staff = make_staff("ops@example.com")
    assert code(admin_client.post(f"{url}/{created['id']}/targets", {"user_id": staff.pk},
                                  content_type="application/json")) == 0
    assert code(admin_client.post(f"{url}/{created['id']}/targets", {"user_id": staff.pk},
                                  content_type="application/json")) == 0  # twice: one target
    NotificationTarget.objects.create(setting_id=created["id"], email="oncall@partner.example")
    for _ in range(3):
        make_setting(network=network)
    with django_assert_max_num_queries(6):
        data = admin_client.get(url).json()["data"]
    assert len(data) == 4
    assert data[0]["targets"] == [{"id": data[0]["targets"][0]["id"], "user_id": staff.pk, "email": "ops@example.com"},
                                  {"id": data[0]["targets"][1]["id"], "user_id": None, "email": "oncall@partner.example"}]


def test_optional_fields_keep_their_values_on_update(admin_client, network):
    setting = make_setting(network=network, check_interval=900)
    body = {k: v for k, v in SETTING.items() if k not in ("check_interval", "check_delay")}
    assert code(admin_client.put(f"{API}/{network.pk}/notifications/{setting.pk}", {**body, "alert_severities": ["low"]},
                                 content_type="application/json")) == 0
    setting.refresh_from_db()
    assert (setting.check_interval, setting.alert_severities) == (900, ["low"])


@pytest.mark.parametrize("change, field", [
    ({"notification_type": "sms"}, "notification_type"), ({"alert_types": []}, "alert_types"),
    ({"alert_types": ["vehicle-flying"]}, "alert_types"), ({"alert_severities": ["medium"]}, "alert_severities"),
    ({"check_interval": -1}, "check_interval"), ({"check_delay": "60"}, "check_delay"),
])
def test_setting_validation(admin_client, network, change, field):
    response = admin_client.post(f"{API}/{network.pk}/notifications", {**SETTING, **change},
                                 content_type="application/json")
    assert code(response) == -2 and any(name.split(".")[0] == field for name in response.json()["message"]["fields"])
    assert not NotificationSetting.objects.exists()


def test_targets_are_active_staff_and_removal_names_one(admin_client, network):
    setting = make_setting(network=network)
    url = f"{API}/{network.pk}/notifications/{setting.pk}/targets"
    rider = get_user_model().objects.create_user(email="rider@example.com")
    for user_id in (rider.pk, 999999):
        response = admin_client.post(url, {"user_id": user_id}, content_type="application/json")
        assert code(response) == -2 and "user_id" in response.json()["message"]["fields"]
    NotificationTarget.objects.create(setting=setting, email="oncall@partner.example")
    assert code(admin_client.delete(url)) == -2  # neither user_id nor email
    assert code(admin_client.delete(f"{url}?user_id=1&email=a@b.c")) == -2
    assert code(admin_client.delete(f"{url}?email=nobody@partner.example")) == -5
    assert code(admin_client.delete(f"{url}?email=ONCALL@partner.example")) == 0
    assert not NotificationTarget.objects.exists()


def test_other_networks_settings_are_out_of_reach(client, staff_user, grant_access, network):
    theirs = make_setting()
    grant_access(staff_user, "notifications", write=True, where=make_unit(networks=[network]))
    client.force_login(staff_user)
    assert code(client.get(f"{API}/{theirs.network_id}/notifications")) == -5
    assert code(client.delete(f"{API}/{network.pk}/notifications/{theirs.pk}")) == -5  # not in my network
    assert code(client.delete(f"{API}/{theirs.network_id}/notifications/{theirs.pk}")) == -5
    assert NotificationSetting.objects.filter(pk=theirs.pk).exists()
