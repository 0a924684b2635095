"""DRF fields and serializers built from the catalog's parameter constraints.

Every operation's query, path and body parameters are validated by a serializer generated from its catalog
entry, so each constraint of the contract (ranges, lengths, patterns, enums, formats, nullability) is enforced
exactly once and identically everywhere. An app refines a generated serializer by subclassing it
(`class CreateNetworkBody(CatalogSerializer): operation_id = "createNetwork"; location = "body"`) and declaring
only the fields or `validate_*` methods that need domain knowledge (existence of a referenced row, nested
objects...).

Query and multipart values arrive as strings and are parsed leniently ("5" is an integer); JSON bodies are
strict (a JSON string "5" is not an integer, 1 is not a boolean, 12 is not a string).
"""
from __future__ import annotations

import copy
import math
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.catalog import Constraint, get_operation

from apps.core.exceptions import ValidationFailed
from .references import resolve_references

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
# The widest amount column (DecimalField(max_digits=12, decimal_places=4)) holds less than 10^8: a number
# the catalog leaves unbounded is bounded by it, so every accepted number fits where it lands, even once rounded
# to a currency without decimals, and rounds without overflowing the decimal context (1e76, 1e999999).
NUMBER_LIMIT = Decimal("99999999")
# A day is added to or taken from dates in every time zone (end of a range, local day bounds): the first
# and last day of the calendar are refused rather than overflow.
DATE_MIN, DATE_MAX = date(1, 1, 2), date(9999, 12, 30)
_ID_NAME = re.compile(r"^(id|ids|rid|last_primary_key|organization|app_label|organizational_unit)$|_ids?$")
_ASCII_INTEGER = re.compile(r"[+-]?[0-9]+")


def is_id_param(name: str) -> bool:
    """Ids of rows (bigint columns); every other integer lands in an integer column of 32 bits at most."""
    return bool(_ID_NAME.search(name))


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            if not (isinstance(data, Decimal) and data.is_finite() and data == data.to_integral_value()):
                self.fail("invalid")
        return super().to_internal_value(data)


class TextIntegerField(serializers.IntegerField):
    """An integer written as text (query, path, multipart): ASCII digits only (int() would also read "١٢")."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not _ASCII_INTEGER.fullmatch(data.strip()):
            self.fail("invalid")
        return super().to_internal_value(data)


class NumberField(serializers.Field):
    """A JSON number (or a numeric query string) read as Decimal, never through float."""

    default_error_messages = {
        "invalid": "A valid number is required.",
        "min_value": "Ensure this value is greater than or equal to {limit}.",
        "above_min_value": "Ensure this value is greater than {limit}.",
        "max_value": "Ensure this value is less than or equal to {limit}.",
    }

    def __init__(self, *, strict: bool, min_value=None, max_value=None, exclusive_min: bool = False, **kwargs):
        self.strict, self.min_value, self.max_value, self.exclusive_min = strict, min_value, max_value, exclusive_min
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if self.strict and not isinstance(data, (int, float, Decimal)):
            self.fail("invalid")
        try:
            value = Decimal(str(data).strip())
        except (InvalidOperation, ValueError):
            self.fail("invalid")
        if not value.is_finite() or (isinstance(data, float) and not math.isfinite(data)):
            self.fail("invalid")
        if self.min_value is not None and value < self.min_value:
            self.fail("min_value", limit=self.min_value)
        if self.exclusive_min and value == self.min_value:
            self.fail("above_min_value", limit=self.min_value)
        if self.max_value is not None and value > self.max_value:
            self.fail("max_value", limit=self.max_value)
        return value

    def to_representation(self, value):
        return value


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class FormBooleanField(serializers.BooleanField):
    # DRF reads a boolean missing from form-encoded input as False (an unticked checkbox); in a query
    # string or a multipart body a missing parameter is simply not given.
    default_empty_html = serializers.empty

    def to_internal_value(self, data):
        # In text, a boolean is written `true` or `false` (as JSON writes it); "0", "yes", "on" are not booleans.
        if isinstance(data, str) and data.lower() in ("true", "false"):
            return data.lower() == "true"
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class StrictCharMixin:
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StrictCharMixin, serializers.CharField):
    pass


class StrictEmailField(StrictCharMixin, serializers.EmailField):
    pass


class StrictURLField(StrictCharMixin, serializers.URLField):
    pass


class StrictChoiceField(serializers.ChoiceField):
    """Choices compared by type too: the JSON string "1" is not the enum value 1."""

    def to_internal_value(self, data):
        for choice in self.choices:
            if type(choice) is type(data) and choice == data:
                return data
        self.fail("invalid_choice", input=data)


class LenientChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        for choice in self.choices:
            if str(choice) == str(data):
                return choice
        self.fail("invalid_choice", input=data)


class QueryListField(serializers.ListField):
    """`networks=1,5,7` and `networks=1&networks=5` are the same list.

    An empty item (`networks=,`, `networks=1,,2`) is refused here; the parameter given only empty
    (`networks=`) is refused by CatalogSerializer, like any empty query value.
    """

    default_error_messages = {"empty_item": "An empty item is not a value (remove the extra comma)."}

    def get_value(self, dictionary):
        if hasattr(dictionary, "getlist"):
            raw = [value for value in dictionary.getlist(self.field_name) if value != ""]
            if not raw:
                return serializers.empty
            return [part for value in raw for part in value.split(",")]
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, list) and any(item == "" for item in data):
            self.fail("empty_item")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "int64", "pattern": r"^-?\d{1,19}$"})
class BigintStringField(serializers.CharField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not re.fullmatch(r"-?\d{1,19}", value) or not BIGINT_MIN <= int(value) <= BIGINT_MAX:
            raise serializers.ValidationError("A valid 64-bit integer is required.")
        return int(value)


class UniqueItemsValidator:
    requires_context = False

    def __call__(self, value):
        seen = set()
        for item in value:
            key = repr(item)
            if key in seen:
                raise serializers.ValidationError("Items must be unique.")
            seen.add(key)


def bounded(constraint: Constraint, name: str) -> Constraint:
    """The constraint with the limits of the column its value lands in, where the catalog is wider or silent."""
    if constraint.kind == "integer" and constraint.enum is None:
        low, high = (BIGINT_MIN, BIGINT_MAX) if is_id_param(name) else (INT32_MIN, INT32_MAX)
        minimum = Decimal(low) if constraint.minimum is None else max(constraint.minimum, Decimal(low))
        maximum = Decimal(high) if constraint.maximum is None else min(constraint.maximum, Decimal(high))
        return replace(constraint, minimum=minimum, maximum=maximum)
    if constraint.kind == "number":
        return replace(
            constraint,
            minimum=constraint.minimum if constraint.minimum is not None else -NUMBER_LIMIT,
            maximum=constraint.maximum if constraint.maximum is not None else NUMBER_LIMIT)
    if constraint.kind == "array" and constraint.items is not None and not constraint.opaque_items:
        return replace(constraint, items=bounded(constraint.items, name))
    return constraint


def pattern_allows_blank(constraint: Constraint) -> bool:
    return not constraint.min_length and (not constraint.pattern or re.search(constraint.pattern, "") is not None)


def build_field(constraint: Constraint, *, required: bool, strict: bool, query: bool,
                help_text: str | None = None) -> serializers.Field:
    common = {"required": required, "allow_null": constraint.nullable, "help_text": help_text}
    if not required and constraint.default is not None:
        common = {**common, "required": False, "default": constraint.default}
    kind = constraint.kind

    if constraint.enum is not None and kind in ("string", "integer"):
        cls = StrictChoiceField if strict else LenientChoiceField
        return cls(choices=list(constraint.enum), **common)

    if kind == "integer":
        minimum = int(constraint.minimum) if constraint.minimum is not None else BIGINT_MIN
        maximum = int(constraint.maximum) if constraint.maximum is not None else BIGINT_MAX
        cls = StrictIntegerField if strict else TextIntegerField
        return cls(min_value=minimum, max_value=maximum, **common)
    if kind == "number":
        return NumberField(strict=strict, min_value=constraint.minimum, max_value=constraint.maximum,
                           exclusive_min=constraint.exclusive_minimum, **common)
    if kind == "boolean":
        return (StrictBooleanField if strict else FormBooleanField)(**common)
    if kind == "object":
        return serializers.DictField(**common)
    if kind == "array":
        item = constraint.items or Constraint(kind="any")
        child = (
            serializers.JSONField()
            if constraint.opaque_items or item.kind in ("any", "object")
            else build_field(item, required=True, strict=strict, query=query)
        )
        validators = [UniqueItemsValidator()] if constraint.unique else []
        cls = QueryListField if query else serializers.ListField
        return cls(
            child=child,
            min_length=constraint.min_items,
            max_length=constraint.max_items,
            allow_empty=not constraint.min_items,
            validators=validators,
            **common,
        )

    # Strings and their formats.
    fmt = constraint.fmt
    if fmt == "date":
        return serializers.DateField(input_formats=["iso-8601"], validators=[_date_in_range], **common)
    if fmt in ("datetime", "date-time"):
        return serializers.DateTimeField(input_formats=["iso-8601"], validators=[_date_in_range], **common)
    if fmt == "binary":
        return serializers.FileField(**common)
    if fmt == "bigint":
        return BigintStringField(**common)
    if fmt == "uuid":
        return serializers.UUIDField(**common)
    string_kwargs = dict(
        common,
        min_length=constraint.min_length,
        max_length=constraint.max_length,
        # An empty string is checked like any other: where the pattern refuses it, it is refused.
        allow_blank=pattern_allows_blank(constraint),
        trim_whitespace=False,
    )
    if constraint.pattern:
        string_kwargs["validators"] = [
            # Django %-formats validator messages with the value: a % in the pattern must be doubled.
            RegexValidator(constraint.pattern, message=f"Must match the pattern {constraint.pattern}.".replace("%", "%%"))
        ]
    if fmt == "email":
        return (StrictEmailField if strict else serializers.EmailField)(**string_kwargs)
    if fmt == "uri":
        return (StrictURLField if strict else serializers.URLField)(**string_kwargs)
    return (StrictCharField if strict else serializers.CharField)(**string_kwargs)


_STRICT_JSON = {serializers.BooleanField: StrictBooleanField, serializers.IntegerField: StrictIntegerField,
                serializers.CharField: StrictCharField}


def strict_json_field(field: serializers.Field) -> serializers.Field:
    """The JSON-strict twin of a lenient DRF field (a list's child too), built with the same arguments."""
    if isinstance(field, serializers.ListField) and type(field.child) in _STRICT_JSON:
        return type(field)(*field._args, **{**field._kwargs, "child": strict_json_field(field.child)})
    strict = _STRICT_JSON.get(type(field))
    return strict(*field._args, **field._kwargs) if strict else field


def _date_in_range(value) -> None:
    day = value.date() if hasattr(value, "date") else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise serializers.ValidationError(f"Must be between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}.")


class CatalogSerializer(serializers.Serializer):
    """A serializer whose fields are the catalog parameters of one operation at one location.

    Fields declared on a subclass replace the generated ones of the same name. Body serializers refuse
    unknown fields (no mass assignment); query serializers ignore them, as the contract says.
    """

    operation_id: str | None = None
    location: str = "body"
    # Body fields holding ids of other rows (an id or a list of ids) -> the queryset they name. They are
    # resolved to objects inside the caller's scope (apps.core.api.references).
    references: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.operation_id:
            return
        operation = get_operation(cls.operation_id)
        strict = cls.location == "body" and operation.body_content_type != "multipart/form-data"
        declared = dict(cls._declared_fields)
        if strict:
            # Fields an app declares on a JSON body are as strict as the generated ones: `0` is no boolean.
            declared = {name: strict_json_field(field) for name, field in declared.items()}
        generated = {
            p.name: build_field(bounded(p.constraint, p.name), required=p.required, strict=strict,
                                query=cls.location == "query", help_text=p.doc or None)
            for p in operation.params_in(cls.location)
            if p.name not in declared
        }
        cls._declared_fields = {**generated, **declared}

    def get_fields(self):
        if self.location == "body" or any(isinstance(field, serializers.BaseSerializer)
                                          for field in self._declared_fields.values()):
            return super().get_fields()
        # Query and path parameters are flat: a shallow copy of each declared field (bound to this serializer from
        # then on) is as good as DRF's deep copy, which re-instantiates every field from its arguments on every
        # request (~0.35 ms for listTrips' 26 parameters). No field keeps state while it validates.
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}

    def to_internal_value(self, data):
        unknown = {}
        if self.location == "body" and hasattr(data, "keys"):
            unknown = {name: ["Unknown field."] for name in sorted(set(data.keys()) - set(self.fields))}
        if self.location == "body" and hasattr(data, "getlist"):
            # In a multipart body (text), `null` is null for the parameters that may be null, as in JSON.
            nulls = [name for name, field in self.fields.items() if field.allow_null and data.get(name) == "null"]
            if nulls:
                data = data.copy()
                for name in nulls:
                    data[name] = None
        if self.location == "query" and hasattr(data, "getlist"):
            # `?page_size=` is not "not given": an empty value is refused unless the parameter is a text that
            # may be empty (what the schema says, and what a client that forgot to fill a value needs to hear).
            unknown.update({name: ["An empty value is not a value; leave the parameter out instead."]
                            for name, field in self.fields.items()
                            if data.getlist(name) and all(v == "" for v in data.getlist(name))
                            and not getattr(field, "allow_blank", False)})
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Report unknown fields together with the other problems, in one answer.
            detail = exc.detail if isinstance(exc.detail, dict) else {"body": exc.detail}
            raise serializers.ValidationError({**unknown, **detail}) from None
        if unknown:
            raise serializers.ValidationError(unknown)
        return self._resolve_references(value)

    def _resolve_references(self, value: dict) -> dict:
        errors = {}
        for name, queryset in self.references.items():
            ids = value.get(name)
            if ids is None:
                continue
            try:
                objects = resolve_references(queryset.all(), ids if isinstance(ids, list) else [ids], self.context)
            except serializers.ValidationError as exc:
                errors[name] = exc.detail
                continue
            value[name] = objects if isinstance(ids, list) else objects[0]
        if errors:
            raise serializers.ValidationError(errors)
        return value


@cache
def catalog_serializer(operation_id: str, location: str) -> type[CatalogSerializer]:
    name = f"{operation_id[0].upper()}{operation_id[1:]}{location.capitalize()}"
    return type(name, (CatalogSerializer,), {"operation_id": operation_id, "location": location})


@cache
def form_serializer(operation_id: str, names: tuple[str, ...]) -> type[serializers.Serializer]:
    """Some body parameters of an operation read from typed text (an admin action's form): the API's bounds,
    parsed as a form is. The admin then never accepts what the API refuses."""
    fields = {p.name: build_field(bounded(p.constraint, p.name), required=True, strict=False, query=False)
              for p in get_operation(operation_id).params_in("body") if p.name in names}
    missing = set(names) - set(fields)
    if missing:
        raise LookupError(f"{operation_id} has no body parameter {sorted(missing)}")
    return type(f"{operation_id}Form", (serializers.Serializer,), fields)


def require_ordered_ranges(values: dict, *names: str) -> None:
    """For each name, `<name>_min` must not exceed `<name>_max` when both are given (-2 on the max)."""
    for name in names:
        low, high = values.get(f"{name}_min"), values.get(f"{name}_max")
        if low is not None and high is not None and low > high:
            raise ValidationFailed.on(f"{name}_max", f"{name}_max must not be less than {name}_min.")


def check_like_pattern(pattern: str | None) -> str | None:
    """A PostgreSQL LIKE pattern as operators type it, lowercased; a trailing lone backslash escapes nothing
    (PostgreSQL would refuse it at match time), so it is a -2 now."""
    if pattern is None:
        return None
    if (len(pattern) - len(pattern.rstrip("\\"))) % 2:
        raise serializers.ValidationError("The pattern must not end with an escape character (\\).")
    return pattern.lower()
