"""Shared model machinery: timestamps and the network-scoped queryset every domain model uses."""
from django.core.exceptions import ValidationError
from django.db import models

from apps.core.exceptions import on_constraint, ValidationFailed
from apps.core.permissions import Scope, implied_by_networks, resolve_scope, scope_filter


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, permission_key: str | None, *, write: bool = False, networks=None):
        """Only the rows `user` may see (or change, with `write`) under `permission_key`.

        How a model's rows reach networks, clusters, organizations or app labels is declared on the model
        (see `apps.core.permissions.scope_filter`); a model declaring nothing is global and needs a
        global grant. `networks`: the caller limits the rows to these networks itself (a list's `networks`
        parameter); the scope's filter is then left out when those networks imply it (implied_by_networks), so a
        scoped staff member's query is the superuser's, and so is its plan.
        """
        return self.within(resolve_scope(user, permission_key, write=write), networks=networks)

    def within(self, scope: Scope, *, networks=None):
        if scope.everything or (networks is not None and implied_by_networks(self.model, scope, networks)):
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


def check_field_rules(instance, names) -> None:
    """The model's own rules (validators, choices, bounds) on the named fields: a service reached past the API's
    declared inputs (the admin, a command) refuses what the columns' rules refuse, naming the field (-2)."""

    try:
        instance.clean_fields(exclude=[f.name for f in instance._meta.fields if f.name not in set(names)])
    except ValidationError as invalid:
        field, messages = next(iter(invalid.message_dict.items()))
        raise ValidationFailed.on(field, " ".join(messages)) from None


def non_negative(prefix: str, *fields: str) -> list[models.CheckConstraint]:
    """CHECK constraints: these amounts are never negative (NULL allowed where the column is nullable). A write
    that breaks one (past the services' checks) is answered -2 naming the field, by the exception handler."""

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


class AdminExport(models.Model):
    """A change list's selection exported in the background (apps.core.exports): who asked, for which change list
    and filters, how far it is, and the file when done. Only its owner downloads it."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    app_label = models.CharField(max_length=100)
    model_name = models.CharField(max_length=100)
    query = models.CharField(max_length=2000, blank=True, help_text="The change list's query string (filters).")
    format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    rows_estimated = models.BigIntegerField(default=0)
    rows_written = models.BigIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.model_name} export {self.pk} ({self.status})"

    @property
    def progress(self) -> int:
        """Percent done (estimated: rows may come and go while the export runs)."""
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.rows_written // self.rows_estimated) if self.rows_estimated else 0
