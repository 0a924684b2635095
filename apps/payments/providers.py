"""The payment provider interface (`PAYMENT_PROVIDER`), like the IoT and ERP ones.

The `local` sandbox behaves like a real provider for what fleetadmin asks of it so far: detaching a saved payment
method (idempotent: detaching twice is fine) and failing on demand (a method whose reference starts with
`fail_` raises `PaymentProviderUnavailable`, as a provider outage would). A vendor adapter implements the same
methods over its API.
"""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


class PaymentProviderUnavailable(Exception):
    """The provider could not be reached; nothing was changed there. Retry later."""


class LocalSandboxProvider:
    name = "local"

    def detach(self, *, provider_reference: str) -> None:
        if provider_reference.startswith("fail_"):
            raise PaymentProviderUnavailable("The sandbox provider refuses this method on purpose.")


PROVIDERS = {"local": "apps.payments.providers.LocalSandboxProvider"}


def get_payment_provider():
    name = settings.PAYMENT_PROVIDER
    return import_string(PROVIDERS.get(name, name))()
