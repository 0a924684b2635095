"""Ids in request bodies that name other rows, resolved inside the caller's scope.

An id the caller cannot see is answered exactly like an id that does not exist (-2 naming the field), so
other tenants' ids cannot be probed. Networks are the exception the contract names: a request naming a
network outside the caller's scope is refused as a whole (-4).
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.exceptions import PermissionDenied


def scoped_for_request(queryset, context: dict):
    """`queryset` restricted by the permission key (and write modifier) of the operation being served."""
    view = context.get("view")
    operation = getattr(view, "operation", None)
    if operation is None or operation.access != "permission" or not hasattr(queryset, "restrict"):
        return queryset
    return queryset.restrict(context["request"].user, operation.permission, write=operation.write)


def _names_networks(model) -> bool:
    return getattr(model, "scope_network_path", None) == "id"


def resolve_references(queryset, ids, context: dict) -> list:
    """The objects named by `ids` (in that order), or a ValidationError listing the ones not found."""
    ids = list(dict.fromkeys(ids))
    found = {obj.pk: obj for obj in scoped_for_request(queryset, context).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        if _names_networks(queryset.model) and queryset.model._base_manager.filter(pk__in=missing).exists():
            raise PermissionDenied("You have no access to some of the requested networks.")
        name = queryset.model._meta.verbose_name
        raise serializers.ValidationError(f"No {name} with id {', '.join(map(str, missing))}.")
    return [found[pk] for pk in ids]


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1})
class ReferenceField(serializers.Field):
    """A body id naming one row of `queryset`, resolved inside the caller's scope."""

    default_error_messages = {"incorrect_type": "A valid integer is required."}

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type")
        if not 1 <= data <= 2**63 - 1:
            raise serializers.ValidationError(f"No {self.queryset.model._meta.verbose_name} with id {data}.")
        return resolve_references(self.queryset.all(), [data], self.context)[0]

    def to_representation(self, value):
        return value.pk
