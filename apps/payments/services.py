"""Writes on saved payment methods (one transaction, the rider's methods locked)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation

from .models import PaymentMethod
from .providers import PaymentProviderUnavailable, get_payment_provider


@transaction.atomic
def payment_method_detach(*, method: PaymentMethod) -> PaymentMethod:
    """Detach the method at the provider and stop offering it; the newest remaining method becomes the default when
    the default is removed (the seed). The row stays: payments made with it still name it."""
    methods = list(PaymentMethod.objects.select_for_update().filter(rider_id=method.rider_id,
                                                                     detached_at__isnull=True).order_by("-created_at", "-id"))
    method = next((m for m in methods if m.pk == method.pk), None)
    if method is None:
        raise BusinessRuleViolation("payment_method.detached", "This payment method was already removed.")
    try:
        get_payment_provider().detach(provider_reference=method.provider_reference)
    except PaymentProviderUnavailable as exc:
        raise BusinessRuleViolation("payment_provider.unavailable",
                                    f"The payment provider could not remove it; try again later ({exc}).") from None
    was_default = method.is_default
    method.detached_at, method.is_default = timezone.now(), False
    method.save(update_fields=["detached_at", "is_default", "updated_at"])
    remaining = [m for m in methods if m.pk != method.pk]
    if was_default and remaining:
        remaining[0].is_default = True
        remaining[0].save(update_fields=["is_default", "updated_at"])
    return method
