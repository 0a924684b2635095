from rest_framework.test import APIClient

from apps.applabels.models import AppLabel

from .factories import make_app_label
from .test_api_contract import BILLING, MAIL_SETTING

BASE = "/api/dashboard/v1/app-labels"


def test_list_is_public_and_shows_only_public_fields(db):
    make_app_label(name="velo", display_name="Vélo+", contact_email="help@velo.example")
    data = APIClient().get(BASE).json()["data"]
    assert data == [{"id": data[0]["id"], "name": "velo", "display_name": "Vélo+", "website": None,
                     "android_store_url": None, "ios_store_url": None}]


def test_create_returns_the_label_with_its_billing(admin_client):
    data = admin_client.post(BASE, {"name": "velo", "display_name": "Vélo+", "billing_info": BILLING},
                             format="json").json()["data"]
    assert data["name"] == "velo" and data["billing_info"]["city"] == "Lyon"


def test_names_are_unique(admin_client):
    make_app_label(name="velo")
    response = admin_client.post(BASE, {"name": "velo", "display_name": "X", "billing_info": BILLING}, format="json")
    assert response.status_code == 409 and response.json()["message"]["key"] == "app_label.name_taken"
    assert AppLabel.objects.count() == 1


def test_billing_info_is_validated_field_by_field(admin_client):
    response = admin_client.post(BASE, {"name": "velo", "display_name": "V", "billing_info": {"street": "", "x": 1}},
                                 format="json")
    fields = response.json()["message"]["fields"]
    assert {"billing_info.street", "billing_info.x", "billing_info.city"} <= set(fields)


def test_mail_setting_round_trip(admin_client):
    label = make_app_label()
    empty = admin_client.get(f"{BASE}/{label.pk}/mail-setting").json()["data"]
    assert empty["send_mails"] is False
    assert admin_client.put(f"{BASE}/{label.pk}/mail-setting", MAIL_SETTING, format="json").json() == {"code": 0}
    assert admin_client.get(f"{BASE}/{label.pk}/mail-setting").json()["data"] == MAIL_SETTING


def test_update_replaces_settings_and_billing(admin_client):
    label = make_app_label()
    from .test_api_contract import APP_LABEL_SETTINGS

    admin_client.put(f"{BASE}/{label.pk}", {**APP_LABEL_SETTINGS, "website": None}, format="json")
    admin_client.put(f"{BASE}/{label.pk}/billing", {**BILLING, "city": "Grenoble"}, format="json")
    data = admin_client.get(f"{BASE}/{label.pk}").json()["data"]
    assert data["website"] is None and data["require_sms_validation"] is True
    assert data["billing_info"]["city"] == "Grenoble"
