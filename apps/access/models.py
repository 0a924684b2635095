"""Roles, organizational units and the dated grants that give users permission keys (docs/access-control.md).

Grants are read once per request by `apps.access.grants`, the grant source `apps.core.permissions` merges.
"""
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q

from apps.core.models import RestrictedQuerySet, TimeStampedModel
from apps.core.permissions import Scope, permission_keys
from apps.fleet.models import Cluster
from apps.networks.models import Network


def permission_key_field(**kwargs):
    return models.CharField(max_length=50, choices=[(k, k) for k in permission_keys()], **kwargs)


class Role(TimeStampedModel):
    """A named set of permission keys, granted to users as one."""

    key = models.CharField(max_length=50, unique=True)
    permissions = ArrayField(permission_key_field(), default=list, blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key


class OrganizationalUnit(TimeStampedModel):
    """What a grant covers: app labels, organizations, networks and, optionally, some of their clusters."""

    name = models.CharField(max_length=50, unique=True)
    app_labels = models.ManyToManyField("applabels.AppLabel", blank=True, related_name="organizational_units")
    organizations = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="organizational_units"
    )
    networks = models.ManyToManyField("networks.Network", blank=True, related_name="organizational_units")
    clusters = models.ManyToManyField(
        "fleet.Cluster", blank=True, related_name="organizational_units",
        help_text="When set, cluster-level objects of these clusters' networks are limited to these clusters.",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        """A unit is visible to (and can be granted, edited or deleted by) someone whose scope covers all it names.

        The one rule for seeing and for granting (apps.access.services.require_holding asks it): every network the
        unit names, directly or through its app labels, is in the scope; a network the unit covers whole (it names
        none of its clusters) is one the scope covers whole too; every cluster it names is one of the scope's or
        in a network the scope covers whole; and its app labels and organizations are the scope's. An empty unit
        is visible to global holders only: otherwise anyone could fill it with their networks and so extend grants
        others gave on it.
        """

        unit = OuterRef("pk")
        through = {name: getattr(cls, name).through for name in ("networks", "app_labels", "organizations")}
        unit_networks = Network.objects.filter(Q(organizational_units=unit) | Q(app_label__organizational_units=unit))
        names_a_cluster_of_it = Exists(Cluster.objects.filter(network=OuterRef("pk"), organizational_units=OuterRef(unit)))
        outside_networks = unit_networks.exclude(id__in=scope.networks)
        wider_networks = unit_networks.exclude(id__in=scope.full_networks).filter(~names_a_cluster_of_it)
        outside_labels = through["app_labels"].objects.filter(organizationalunit_id=unit).exclude(
            applabel_id__in=scope.app_labels)
        outside_organizations = through["organizations"].objects.filter(
            organizationalunit_id=unit).exclude(organization_id__in=scope.organizations)
        outside_clusters = Cluster.objects.filter(organizational_units=unit).exclude(
            Q(id__in=scope.clusters) | Q(network_id__in=scope.full_networks))
        names_something = (Exists(through["networks"].objects.filter(organizationalunit_id=unit))
                           | Exists(through["app_labels"].objects.filter(organizationalunit_id=unit))
                           | Exists(through["organizations"].objects.filter(organizationalunit_id=unit)))
        return (names_something & ~Exists(outside_networks) & ~Exists(wider_networks) & ~Exists(outside_labels)
                & ~Exists(outside_organizations) & ~Exists(outside_clusters))


class AccessGrantQuerySet(RestrictedQuerySet):
    def active(self, at):
        return self.filter(start_date__lte=at).filter(Q(end_date__isnull=True) | Q(end_date__gt=at))

    def not_expired(self, at):
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=at))


class AccessGrant(TimeStampedModel):
    """A permission key or a role given to a user from `start_date` until `end_date` (or forever),
    globally or on an organizational unit, with or without the write modifier."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants")
    permission_key = permission_key_field(null=True, blank=True)
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.CASCADE, related_name="grants")
    organizational_unit = models.ForeignKey(
        OrganizationalUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="grants",
        help_text="Empty: a global grant.",
    )
    start_date = models.DateTimeField()
    end_date = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    write = models.BooleanField(default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["user", "id"]
        indexes = [models.Index(fields=["user", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(permission_key__isnull=True, role__isnull=False)
                | Q(permission_key__isnull=False, role__isnull=True),
                name="grant_key_xor_role",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="grant_ends_after_start",
            ),
            # One grant per (user, key or role, unit); a global grant has no unit, hence NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["user", "permission_key", "organizational_unit"], condition=Q(role__isnull=True),
                nulls_distinct=False, name="grant_user_key_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organizational_unit"], condition=Q(permission_key__isnull=True),
                nulls_distinct=False, name="grant_user_role_unit_unique",
            ),
        ]

    def __str__(self):
        what = self.permission_key or f"role {self.role}"
        where = self.organizational_unit or "everywhere"
        return f"{self.user} holds {what}{' (write)' if self.write else ''} on {where}"

    @property
    def keys(self) -> list[str]:
        """The permission keys this grant gives (a role's, for a role grant)."""
        return [self.permission_key] if self.permission_key else list(self.role.permissions)

    @classmethod
    def scope_filter(cls, scope: Scope) -> Q:
        # A grant is seen by those who see its unit; global grants only by global holders.
        return Q(organizational_unit__in=OrganizationalUnit.objects.filter(OrganizationalUnit.scope_filter(scope)))
