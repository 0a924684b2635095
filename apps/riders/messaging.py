"""How a message reaches a rider: one provider per channel (`PUSH_PROVIDER`, `SMS_PROVIDER`; e-mail goes through
Django's mail framework). The `local` providers record the message as sent with a generated provider id, so tests
and the demo run the same code a real adapter would. A provider raises `MessageProviderUnavailable` on a
transient failure (the sending task retries) and `MessageRefused` when the message can never be delivered."""
from __future__ import annotations

import uuid
from collections import deque

from django.conf import settings
from django.utils.module_loading import import_string


class MessageProviderUnavailable(Exception):
    """Try again later."""


class MessageRefused(Exception):
    """The provider will never deliver it (no device, no phone number, a refused address)."""


class LocalPushProvider:
    def send(self, *, rider, subject: str, body: str) -> str:
        tokens = [d.push_token for d in rider.devices.all() if d.push_token]
        if not tokens:
            raise MessageRefused("The rider has no device that accepts push notifications.")
        return f"local-push-{uuid.uuid4()}"


class LocalSmsProvider:
    """The SMS sandbox: sends nothing, and keeps the last texts it was given to a number in `outbox` (newest last),
    where tests and the demo read the one-time codes."""

    outbox: deque = deque(maxlen=100)

    def send(self, *, rider, subject: str, body: str) -> str:
        if not rider.phone_number:
            raise MessageRefused("The rider has no phone number.")
        return self.send_to(phone_number=rider.phone_number, body=body)

    def send_to(self, *, phone_number: str, body: str) -> str:
        """A text to a number that may have no account yet (a sign-up's code)."""
        self.outbox.append((phone_number, body))
        return f"local-sms-{uuid.uuid4()}"


class EmailProvider:
    """E-mail goes through apps.mail: the rider's app label's template when the message names one it has, else the
    message's own text, from the label's sender, over the configured EMAIL_URL."""

    def send(self, *, rider, subject: str, body: str, message=None) -> str:
        # at call time: mail imports riders at load time (a cycle).
        from apps.mail.services import send_rider_mail

        return send_rider_mail(rider=rider, subject=subject, body=body, message=message)


PROVIDERS = {
    "push": {"local": "apps.riders.messaging.LocalPushProvider"},
    "sms": {"local": "apps.riders.messaging.LocalSmsProvider"},
}


def provider_for(channel: str):
    if channel == "email":
        return EmailProvider()
    name = {"push": settings.PUSH_PROVIDER, "sms": settings.SMS_PROVIDER}[channel]
    return import_string(PROVIDERS[channel].get(name, name))()
