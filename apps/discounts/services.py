"""Writes on discounts and codes (one transaction each; rules raise -2 naming the field, or -6)."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.api.errors import BusinessRuleViolation, ValidationFailed

from .models import CouponUse, Discount, DiscountCode


def _check(discount: Discount) -> None:
    if discount.type in Discount.PERCENT_TYPES and discount.data > 100:
        raise ValidationFailed.on("data", "A percentage discount is at most 100.")
    for name in ("request_end_date", "stop_date"):
        if getattr(discount, name) is not None and getattr(discount, name) < discount.start_date:
            raise ValidationFailed.on(name, f"{name} must not be before start_date.")
    if (discount.valid_from_time is None) != (discount.valid_until_time is None):
        raise ValidationFailed.on("valid_until_time", "Give both valid_from_time and valid_until_time, or neither.")


def is_used(discount: Discount) -> bool:
    from apps.trips.models import Trip

    return CouponUse.objects.filter(code__discount=discount).exists() or Trip.objects.filter(promotion=discount).exists()


@transaction.atomic
def discount_save(*, network=None, discount: Discount | None = None, organizations=None, **values) -> Discount:
    discount = discount or Discount(network=network)
    if discount.disabled_at is not None:
        raise BusinessRuleViolation("discount.disabled", "This discount is disabled.")
    for name, value in values.items():
        setattr(discount, name, value)
    _check(discount)
    discount.save()
    if organizations is not None:
        discount.organizations.set(organizations)
    return discount


@transaction.atomic
def discount_delete(*, discount: Discount) -> None:
    """Delete a discount never used; once used it is only disabled, so trips and uses keep their history."""
    discount = Discount.objects.select_for_update().get(pk=discount.pk)
    if is_used(discount):
        if discount.disabled_at is None:
            discount.disabled_at = timezone.now()
            discount.save(update_fields=["disabled_at", "updated_at"])
        return
    discount.delete()


@transaction.atomic
def code_save(*, discount: Discount | None = None, instance: DiscountCode | None = None, **values) -> DiscountCode:
    """Create a code of `discount`, or change `instance` (`values` are the code's fields, `code` included)."""
    instance = instance or DiscountCode(discount=discount)
    if instance.discount.disabled_at is not None:
        raise BusinessRuleViolation("discount.disabled", "This discount is disabled; its codes cannot change.")
    for name, value in values.items():
        setattr(instance, name, value)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise BusinessRuleViolation("discount_code.code_taken", "Another discount already has this code.") from None
    return instance


def code_delete(*, code: DiscountCode) -> None:
    if code.uses.exists():
        raise BusinessRuleViolation("discount_code.used", "This code has been used; set remaining to 0 instead.")
    code.delete()
