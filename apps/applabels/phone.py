"""SMS providers an app label can send its riders' verification codes with (listPhoneProviders).

Configured, not stored: `PHONE_PROVIDERS` in the settings lists the ones this installation has credentials for.
"""
from django.conf import settings

KNOWN = {
    "local": "Local (codes written to the log; development and demo)",
    "twilio": "Twilio",
    "vonage": "Vonage",
    "sinch": "Sinch",
    "ovh": "OVHcloud SMS",
}


def phone_providers() -> list[dict]:
    return [{"key": key, "name": KNOWN.get(key, key)} for key in settings.PHONE_PROVIDERS]
