"""Shared model machinery: timestamps and the network-scoped queryset every domain model uses."""
from django.db import models

from apps.core.permissions import Scope, resolve_scope, scope_filter


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, permission_key: str | None, *, write: bool = False):
        """Only the rows `user` may see (or change, with `write`) under `permission_key`.

        How a model's rows reach networks, clusters, organizations or app labels is declared on the model
        (see `apps.core.permissions.scope_filter`); a model declaring nothing is global and needs a
        global grant.
        """
        return self.within(resolve_scope(user, permission_key, write=write))

    def within(self, scope: Scope):
        if scope.everything:
            return self
        if scope.empty:
            return self.none()
        condition = scope_filter(self.model, scope)
        return self.none() if condition is None else self.filter(condition)


class ScopedModel(models.Model):
    objects = RestrictedQuerySet.as_manager()
    scope_network_path: str | None = None
    scope_cluster_path: str | tuple[str, ...] | None = None
    scope_cluster_optional: bool = False
    scope_organization_path: str | None = None
    scope_app_label_path: str | None = None

    class Meta:
        abstract = True


class TimeStampedModel(ScopedModel):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class _Unset:
    """A parameter not given to a partial update (None is a value: it erases)."""

    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET = _Unset()


def assign(instance, **values) -> None:
    """Set the named fields that were given (not UNSET); services name their parameters explicitly and call this."""
    for name, value in values.items():
        if value is not UNSET:
            setattr(instance, name, value)


def non_negative(prefix: str, *fields: str) -> list[models.CheckConstraint]:
    """CHECK constraints: these amounts are never negative (NULL allowed where the column is nullable). A write
    that breaks one (past the services' checks) is answered -2 naming the field, by the exception handler."""
    from apps.core.exceptions import ValidationFailed, on_constraint

    constraints = []
    for field in fields:
        name = f"{prefix}_{field}_gte_0"
        on_constraint(lambda field=field: ValidationFailed.on(field, "Must not be negative."), name=name)
        constraints.append(models.CheckConstraint(
            condition=models.Q(**{f"{field}__gte": 0}) | models.Q(**{f"{field}__isnull": True}), name=name))
    return constraints


class IdempotencyRecord(models.Model):
    """The first answer to a money-moving request sent with an `Idempotency-Key` (apps.core.api.idempotency)."""

    user_id = models.BigIntegerField()
    key = models.CharField(max_length=255)
    operation_id = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the path, query and body.")
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.TextField(null=True, help_text="The JSON answered (text: jsonb would reorder its keys).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user_id", "key"], name="one_record_per_user_key")]
