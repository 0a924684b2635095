"""The payment provider interface (`PAYMENT_PROVIDER`), like the IoT and ERP ones.

The `local` sandbox behaves like a real provider for what fleetadmin asks of it, so tests and the demo run the
code a real adapter would:
- `charge` authorizes and captures, returns a reference and the provider's fee (1.4 % + 0.25 per card payment,
  0.35 flat for SEPA), and declines on demand: a method whose reference starts with `decline_` is declined
  (`PaymentDeclined`);
- `refund` refunds part or all of a capture, with the idempotency key fleetadmin gives it (a retried refund is
  not paid twice by the provider either);
- `detach` removes a saved method.
A reference starting with `fail_` makes any call raise `PaymentProviderUnavailable`, as an outage would. A vendor
adapter implements the same methods over its API.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.module_loading import import_string


class PaymentProviderUnavailable(Exception):
    """The provider could not be reached; nothing was changed there. Retry later."""


class PaymentDeclined(Exception):
    """The provider (or the bank) refused the payment."""


@dataclass(frozen=True)
class Capture:
    reference: str
    fee: Decimal


def _sandbox_reference(prefix: str, *parts) -> str:
    return f"{prefix}_" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:24]


class LocalSandboxProvider:
    name = "local"

    @staticmethod
    def _reachable(reference: str) -> None:
        if reference.startswith("fail_"):
            raise PaymentProviderUnavailable("The sandbox provider refuses this method on purpose.")

    def charge(self, *, provider_reference: str, method_type: str, amount: Decimal, currency: str,
               idempotency_key: str) -> Capture:
        self._reachable(provider_reference)
        if provider_reference.startswith("decline_"):
            raise PaymentDeclined("Your card was declined.")
        rate, fixed = (Decimal("0"), Decimal("0.35")) if method_type == "sepa_debit" else (Decimal("0.014"),
                                                                                          Decimal("0.25"))
        fee = (amount * rate + fixed).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return Capture(_sandbox_reference("ch", idempotency_key), fee)

    def refund(self, *, capture_reference: str, amount: Decimal, currency: str, idempotency_key: str) -> str:
        self._reachable(capture_reference)
        return _sandbox_reference("re", idempotency_key)

    def detach(self, *, provider_reference: str) -> None:
        self._reachable(provider_reference)


PROVIDERS = {"local": "apps.payments.providers.LocalSandboxProvider"}


def get_payment_provider():
    name = settings.PAYMENT_PROVIDER
    return import_string(PROVIDERS.get(name, name))()
