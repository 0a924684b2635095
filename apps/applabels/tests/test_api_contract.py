from apps.core.testing.contract import OperationCase, Request, contract_tests

from .factories import make_app_label

BILLING = {"name": "Vélo+ SAS", "street": "8 quai Saint-Antoine", "zip_code": "69002", "city": "Lyon",
           "country": "France", "vat_number": "FR123", "legal_form": "SAS", "registration_number": "123 456 789",
           "capital": "10000 EUR", "issuer": "Vélo+"}
APP_LABEL_SETTINGS = {
    "require_sms_validation": True, "phone_sms_provider_id": 1, "require_terms_of_use": True,
    "auto_delete_users": False, "android_store_url": "https://play.example/app",
    "ios_store_url": "https://apps.example/app", "saved_payment_method_is_optional": False,
    "website": "https://velo.example", "contact_email": "help@velo.example", "contact_phone_number": "+33 4 00 00 00",
}
MAIL_SETTING = {"send_mails": True, "sender_address": "no-reply@velo.example", "sender_name": "Vélo+",
                "reply_to": "help@velo.example", "notification_email": "ops@velo.example"}


def _on_label(body=None):
    return lambda: Request(path_params={"app_label_id": make_app_label().pk}, body=body)


CASES = [
    # Configured providers: no tenant data, the same answer for any holder of the key.
    OperationCase("listPhoneProviders", lambda: Request(), scoped=False),
    OperationCase("listAppLabels", lambda: (make_app_label(), Request())[1]),
    OperationCase("createAppLabel", lambda: Request(body={"name": "velo", "display_name": "Vélo+",
                                                          "billing_info": dict(BILLING)})),
    OperationCase("getAppLabel", _on_label()),
    OperationCase("updateAppLabel", _on_label(APP_LABEL_SETTINGS)),
    OperationCase("getAppLabelMailSetting", _on_label()),
    OperationCase("updateAppLabelMailSetting", _on_label(MAIL_SETTING)),
    OperationCase("updateAppLabelBilling", _on_label(BILLING)),
]

globals().update(contract_tests(CASES))


def test_phone_providers_are_the_configured_ones(admin_client, settings):
    settings.PHONE_PROVIDERS = ["twilio", "acme-sms"]
    data = admin_client.get("/api/dashboard/v1/phone-providers").json()["data"]
    assert data == [{"key": "twilio", "name": "Twilio"}, {"key": "acme-sms", "name": "acme-sms"}]
