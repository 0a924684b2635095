"""Writes on discounts and codes (one transaction each; rules raise -2 naming the field, or -6)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation, ValidationFailed, on_constraint
from apps.core.models import UNSET, assign

from .models import CouponUse, Discount, DiscountCode


def _check(discount: Discount) -> None:
    if discount.type in Discount.PERCENT_TYPES and discount.data > 100:
        raise ValidationFailed.on("data", "A percentage discount is at most 100.")
    for name in ("request_end_date", "stop_date"):
        if getattr(discount, name) is not None and getattr(discount, name) < discount.start_date:
            raise ValidationFailed.on(name, f"{name} must not be before start_date.")
    if (discount.valid_from_time is None) != (discount.valid_until_time is None):
        raise ValidationFailed.on("valid_until_time", "Give both valid_from_time and valid_until_time, or neither.")


def is_used(*, discount: Discount) -> bool:
    # at call time: trips imports discounts at load time (a cycle).
    from apps.trips.models import Trip

    return CouponUse.objects.filter(code__discount=discount).exists() or Trip.objects.filter(promotion=discount).exists()


def _amount_in_currency(discount: Discount) -> None:
    # An amount (types 1, 2, 5) is money of the network's currency: rounded to its minor unit (EUR 1.2345 -> 1.23).
    if discount.type not in Discount.PERCENT_TYPES:
        discount.data = discount.network.currency.quantize(discount.data)


def _save(discount: Discount, organizations) -> Discount:
    _check(discount)
    _amount_in_currency(discount)
    discount.save()
    if organizations is not None:
        discount.organizations.set(organizations)
    return discount


@transaction.atomic
def discount_create(*, network, name: str, type: int, data, start_date, request_end_date, stop_date,
                    valid_from_time=None, valid_until_time=None, cumulative: bool = False,
                    organizations=None) -> Discount:
    discount = Discount(network=network, name=name, type=type, data=data, start_date=start_date,
                        request_end_date=request_end_date, stop_date=stop_date, valid_from_time=valid_from_time,
                        valid_until_time=valid_until_time, cumulative=cumulative)
    return _save(discount, organizations)


@transaction.atomic
def discount_update(*, discount: Discount, name=UNSET, data=UNSET, start_date=UNSET, request_end_date=UNSET,
                    stop_date=UNSET, valid_from_time=UNSET, valid_until_time=UNSET, cumulative=UNSET,
                    organizations=None) -> Discount:
    """Change what is given (UNSET leaves a field as it is); a disabled discount no longer changes."""
    discount = Discount.objects.select_for_update(of=("self",)).select_related("network__currency").get(pk=discount.pk)
    if discount.disabled_at is not None:
        raise BusinessRuleViolation("discount.disabled", "This discount is disabled.")
    assign(discount, name=name, data=data, start_date=start_date, request_end_date=request_end_date,
           stop_date=stop_date, valid_from_time=valid_from_time, valid_until_time=valid_until_time,
           cumulative=cumulative)
    return _save(discount, organizations)


@transaction.atomic
def discount_delete(*, discount: Discount) -> None:
    """Delete a discount never used; once used it is only disabled, so trips and uses keep their history."""
    discount = Discount.objects.select_for_update().get(pk=discount.pk)
    if is_used(discount=discount):
        if discount.disabled_at is None:
            discount.disabled_at = timezone.now()
            discount.save(update_fields=["disabled_at", "updated_at"])
        return
    discount.delete()


def _check_enabled(discount: Discount) -> None:
    if discount.disabled_at is not None:
        raise BusinessRuleViolation("discount.disabled", "This discount is disabled; its codes cannot change.")


@transaction.atomic
def code_create(*, discount: Discount, code: str, remaining: int, email_access_pattern: str) -> DiscountCode:
    _check_enabled(discount)
    # A taken code breaks the unique key: answered by the exception handler (registered below).
    return DiscountCode.objects.create(discount=discount, code=code, remaining=remaining,
                                       email_access_pattern=email_access_pattern)


@transaction.atomic
def code_update(*, instance: DiscountCode, code=UNSET, remaining=UNSET, email_access_pattern=UNSET) -> DiscountCode:
    instance = DiscountCode.objects.select_for_update(of=("self",)).select_related("discount").get(pk=instance.pk)
    _check_enabled(instance.discount)
    assign(instance, code=code, remaining=remaining, email_access_pattern=email_access_pattern)
    instance.save()
    return instance


on_constraint(lambda: BusinessRuleViolation("discount_code.code_taken", "Another discount already has this code."),
              model=DiscountCode, fields=("code",))


def code_delete(*, code: DiscountCode) -> None:
    if code.uses.exists():
        raise BusinessRuleViolation("discount_code.used", "This code has been used; set remaining to 0 instead.")
    code.delete()
