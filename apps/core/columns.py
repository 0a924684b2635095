"""Every value written by the ORM fits its column, or the write is a -2 naming the field.

The API's validators already bound what the catalog and the common column widths say
(apps.core.api.params.bounded); this is the net under every other path that reaches a column (values computed
by services, nested bodies, admin actions): a number too wide for its integer or decimal column, or a text
longer than its varchar, is refused before PostgreSQL would answer with an error (a 500).
"""
from __future__ import annotations

from decimal import Decimal

from django.db import connection, models
from django.db.models.signals import pre_save

from apps.core.exceptions import ValidationFailed


def integer_range(field: models.Field) -> tuple[int, int] | None:
    if isinstance(field, (models.AutoField, models.BigAutoField, models.SmallAutoField)):
        return None
    if isinstance(field, models.IntegerField):  # Small/Big/Positive variants are subclasses
        return connection.ops.integer_field_range(field.get_internal_type())
    return None


def problem_with(field: models.Field, value) -> str | None:
    """Why `value` does not fit `field`'s column, or None."""
    if value is None:
        return None
    bounds = integer_range(field)
    if bounds is not None and isinstance(value, int) and not isinstance(value, bool):
        low, high = bounds
        if not (low is None or value >= low) or not (high is None or value <= high):
            return f"Must be between {low} and {high}."
    if isinstance(field, models.DecimalField) and isinstance(value, (Decimal, int, float)):
        decimal = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not decimal.is_finite():
            return "A finite number is required."
        limit = Decimal(10) ** (field.max_digits - field.decimal_places)
        if abs(decimal) >= limit:
            return f"Must be less than {limit} in absolute value."
    if isinstance(field, models.CharField) and field.max_length and isinstance(value, str):
        if len(value) > field.max_length:
            return f"Ensure this field has no more than {field.max_length} characters."
    return None


def check_columns(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # fixtures load as they are
        return
    errors = {}
    for field in sender._meta.concrete_fields:
        if update_fields is not None and field.name not in update_fields:
            continue
        problem = problem_with(field, getattr(instance, field.attname, None))
        if problem:
            errors[field.name] = [problem]
    if errors:
        raise ValidationFailed(f"Invalid parameters: {', '.join(sorted(errors))}.", fields=errors)


def connect() -> None:
    pre_save.connect(check_columns, dispatch_uid="apps.core.columns.check_columns")
