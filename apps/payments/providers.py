"""The payment provider interface (`PAYMENT_PROVIDER`), like the IoT and ERP ones.

Every call that moves money carries an idempotency key that fleetadmin committed before the call
(apps.payments.attempts): the provider applies a key once and answers a repeated key with the first answer, and
`lookup(key)` tells what became of a call whose answer was lost. A vendor adapter implements the same methods over
its API (Stripe: PaymentIntents with `capture_method=manual` for holds, `Idempotency-Key` on every request).

Outcomes: a return value (done), `PaymentDeclined` (the bank said no; nothing moved), `PaymentProviderUnavailable`
(refused before acting; nothing moved), `PaymentProviderTimeout` (no answer in time: it may or may not have acted;
only `lookup` can tell).

The `local` sandbox behaves like a real provider for what fleetadmin asks of it:
- it keeps a ledger of what it did per key in a table of its own, written outside every transaction of the code,
  so a rollback here never erases what it did there (a real provider's records live elsewhere too), and the web
  process, the worker and a reconciliation run all see it;
- fees: 1.4 % + 0.25 per card capture, 0.35 flat for SEPA;
- a method whose reference starts with `decline_` is declined, `fail_` makes every call unavailable;
- `LocalSandboxProvider.inject(step, mode)` (or `sandbox_faults(...)` in tests) makes the next call of a step fail:
  `unavailable`, `decline`, `timeout_before` (hangs past the client's timeout without acting) or `timeout_after`
  (acts, and the answer is lost past the timeout).
"""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from apps.core.faults import FaultQueue


class PaymentProviderUnavailable(Exception):
    """The provider could not be reached or refused before acting; nothing was changed there. Retry later."""


class PaymentProviderTimeout(Exception):
    """No answer within `PAYMENT_PROVIDER_TIMEOUT`: the call may have been applied. Ask `lookup(key)`."""


class PaymentDeclined(Exception):
    """The provider (or the bank) refused the payment."""


@dataclass(frozen=True)
class ProviderResult:
    reference: str
    fee: Decimal = Decimal(0)


@dataclass(frozen=True)
class LookupResult:
    """What the provider did under a key: `succeeded` or `declined`."""

    status: str
    reference: str = ""
    fee: Decimal = Decimal(0)
    message: str = ""


STEPS = ("charge", "authorize", "capture", "release", "refund", "detach")
FAULT_MODES = ("unavailable", "decline", "timeout_before", "timeout_after")


def _sandbox_reference(prefix: str, key: str) -> str:
    return f"{prefix}_" + hashlib.sha256(key.encode()).hexdigest()[:24]


class SandboxLedger:
    """The sandbox's own records, one row per idempotency key. Written outside any transaction of the code (a
    provider call inside one is refused: apps.payments.attempts.ensure_outside_transaction), so a rollback here
    never erases what it did there, as with a real provider's records."""

    @staticmethod
    def _cursor():
        return connection.cursor()

    @classmethod
    def find(cls, key: str) -> LookupResult | None:
        with cls._cursor() as cursor:
            cursor.execute("SELECT status, reference, fee, message FROM payments_sandboxrecord WHERE key = %s", [key])
            row = cursor.fetchone()
        return LookupResult(*row) if row else None

    @classmethod
    def record(cls, key: str, step: str, result: LookupResult, amount: Decimal) -> LookupResult:
        """Store the result of `key` unless one is stored already; the stored one is the answer (a replay)."""
        with cls._cursor() as cursor:
            cursor.execute("""INSERT INTO payments_sandboxrecord (key, step, status, reference, fee, message, amount,
                                                                  created_at)
                              VALUES (%s, %s, %s, %s, %s, %s, %s, now()) ON CONFLICT (key) DO NOTHING
                              RETURNING status, reference, fee, message""",
                           [key, step, result.status, result.reference, result.fee, result.message, amount])
            row = cursor.fetchone()
        return LookupResult(*row) if row else cls.find(key)


@dataclass(frozen=True)
class AttachedMethod:
    reference: str
    method_type: str
    brand: str
    last4: str
    fingerprint: str
    expiry_month: int
    expiry_year: int


class LocalSandboxProvider:
    name = "local"
    faults = FaultQueue(STEPS, FAULT_MODES, "sandbox")

    @classmethod
    def inject(cls, step: str, mode: str, times: int = 1) -> None:
        cls.faults.inject(step, mode, times)

    @classmethod
    def clear_faults(cls) -> None:
        cls.faults.clear()

    @classmethod
    def _next_fault(cls, step: str) -> str | None:
        return cls.faults.next(step)

    def _apply(self, step: str, key: str, reference: str, amount: Decimal, act) -> ProviderResult:
        """One keyed call: a replayed key answers what the first did; otherwise faults, then `act()`."""
        if reference.startswith("fail_"):
            raise PaymentProviderUnavailable("The sandbox provider refuses this method on purpose.")
        fault = self._next_fault(step)
        if fault == "unavailable":
            raise PaymentProviderUnavailable(f"The sandbox provider is unavailable for {step} (injected).")
        if fault == "timeout_before":
            raise PaymentProviderTimeout(f"The sandbox provider did not answer {step} in time (injected).")
        done = SandboxLedger.find(key)
        if done is None:
            if fault == "decline" or reference.startswith("decline_"):
                result = LookupResult("declined", message="Your card was declined.")
            else:
                result = LookupResult("succeeded", *act())
            done = SandboxLedger.record(key, step, result, amount)
        if fault == "timeout_after":
            raise PaymentProviderTimeout(f"The sandbox provider's answer to {step} was lost (injected).")
        if done.status == "declined":
            raise PaymentDeclined(done.message or "Declined.")
        return ProviderResult(done.reference, done.fee)

    @staticmethod
    def _fee(method_type: str, amount: Decimal) -> Decimal:
        rate, fixed = (Decimal("0"), Decimal("0.35")) if method_type == "sepa_debit" else (Decimal("0.014"),
                                                                                          Decimal("0.25"))
        return (amount * rate + fixed).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def charge(self, *, provider_reference: str, method_type: str, amount: Decimal, currency: str,
               idempotency_key: str) -> ProviderResult:
        """Authorize and capture at once."""
        return self._apply("charge", idempotency_key, provider_reference, amount, lambda: (
            _sandbox_reference("ch", idempotency_key), self._fee(method_type, amount)))

    def authorize(self, *, provider_reference: str, method_type: str, amount: Decimal, currency: str,
                  idempotency_key: str) -> ProviderResult:
        """Hold `amount` on the method (a guarantee), to capture or release later."""
        return self._apply("authorize", idempotency_key, provider_reference, amount, lambda: (
            _sandbox_reference("au", idempotency_key), Decimal(0)))

    def capture(self, *, authorization_reference: str, method_type: str, amount: Decimal, currency: str,
                idempotency_key: str) -> ProviderResult:
        """Take `amount` (at most what is held) of a hold; the rest of the hold is given back."""
        return self._apply("capture", idempotency_key, authorization_reference, amount, lambda: (
            _sandbox_reference("ch", idempotency_key), self._fee(method_type, amount)))

    def release(self, *, authorization_reference: str, idempotency_key: str) -> ProviderResult:
        return self._apply("release", idempotency_key, authorization_reference, Decimal(0), lambda: (
            _sandbox_reference("rl", idempotency_key), Decimal(0)))

    def refund(self, *, capture_reference: str, amount: Decimal, currency: str, idempotency_key: str
               ) -> ProviderResult:
        return self._apply("refund", idempotency_key, capture_reference, amount, lambda: (
            _sandbox_reference("re", idempotency_key), Decimal(0)))

    # Test tokens, as a card form of the real providers gives them: the card's brand and last digits; a "declined"
    # card is saved, and every charge on it is declined.
    SANDBOX_CARDS = {"tok_visa": ("visa", "4242", ""), "tok_mastercard": ("mastercard", "4444", ""),
                     "tok_amex": ("amex", "8431", ""), "tok_chargeDeclined": ("visa", "0002", "decline_")}

    def attach(self, *, token: str, customer_key: str) -> AttachedMethod:
        """Save the card the app's card form tokenized (`token`) for the customer; refused for an unknown token."""
        if token not in self.SANDBOX_CARDS:
            raise PaymentDeclined("The card could not be saved (unknown sandbox token).")
        brand, last4, prefix = self.SANDBOX_CARDS[token]
        digest = hashlib.sha256(f"{customer_key}:{token}".encode()).hexdigest()
        return AttachedMethod(reference=f"{prefix}pm_{uuid.uuid4().hex}",
                              method_type="card", brand=brand, last4=last4, fingerprint=digest[:32],
                              expiry_month=12, expiry_year=2030)

    def detach(self, *, provider_reference: str) -> None:
        """Remove a saved method (idempotent: removing a removed method is no error)."""
        if provider_reference.startswith("fail_") or self._next_fault("detach") == "unavailable":
            raise PaymentProviderUnavailable("The sandbox provider refuses this method on purpose.")

    def lookup(self, *, idempotency_key: str) -> LookupResult | None:
        """What was done under the key, or None when nothing was (the call never reached the provider)."""
        return SandboxLedger.find(idempotency_key)


def sandbox_faults(**steps):
    """`with sandbox_faults(capture="timeout_after"):` the next call of each named step fails that way."""
    return LocalSandboxProvider.faults.injected(**steps)


PROVIDERS = {"local": "apps.payments.providers.LocalSandboxProvider"}


def get_payment_provider():
    name = settings.PAYMENT_PROVIDER
    return import_string(PROVIDERS.get(name, name))()
