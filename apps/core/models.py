"""Shared model machinery: timestamps and the network-scoped queryset every domain model uses."""
from django.db import models

from apps.core.permissions import resolve_scope


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, permission_key: str | None, *, write: bool = False):
        """Only the rows `user` may see (or change, with `write`) under `permission_key`.

        A model says how it reaches a network with `scope_network_path` ("network", "cluster__network",
        "id" for Network itself); a model without one (app labels, third parties, access logs) is global
        and needs a global grant.
        """
        scope = resolve_scope(user, permission_key, write=write)
        if scope.everything:
            return self
        path = getattr(self.model, "scope_network_path", None)
        if path is None or not scope.networks:
            return self.none()
        return self.filter(**{f"{path}__in": scope.networks})


class ScopedModel(models.Model):
    objects = RestrictedQuerySet.as_manager()
    scope_network_path: str | None = None

    class Meta:
        abstract = True


class TimeStampedModel(ScopedModel):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
