"""The grant sources of fleetadmin: dated grants (keys and roles on organizational units) and
django-guardian object permissions on networks and clusters. Each costs one query per request."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BigIntegerField, Case, F, OuterRef, Subquery, When
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission

from apps.applabels.models import AppLabel
from apps.core.permissions import GLOBAL_SCOPE, WRITE_SUFFIX, Grant, Scope, permission_keys
from apps.fleet.models import Cluster
from apps.networks.models import Network
from apps.organizations.models import Organization

from .models import AccessGrant, OrganizationalUnit


def unit_scope_annotations(unit_ref) -> dict:
    """Array annotations giving, in the same query, everything the organizational unit `unit_ref` names."""
    return {
        "unit_networks": ArraySubquery(Network.objects.filter(organizational_units=unit_ref).values("id")),
        "unit_label_networks": ArraySubquery(
            Network.objects.filter(app_label__organizational_units=unit_ref).values("id")),
        "unit_clusters": ArraySubquery(Cluster.objects.filter(organizational_units=unit_ref).values("id")),
        "unit_cluster_networks": ArraySubquery(
            Cluster.objects.filter(organizational_units=unit_ref).values("network_id").distinct()),
        "unit_organizations": ArraySubquery(
            Organization.objects.filter(organizational_units=unit_ref).values("id")),
        "unit_app_labels": ArraySubquery(AppLabel.objects.filter(organizational_units=unit_ref).values("id")),
    }


def scope_from_row(row) -> Scope:
    """The scope of a unit, from a row carrying `unit_scope_annotations`."""
    networks = frozenset(row["unit_networks"]) | frozenset(row["unit_label_networks"])
    return Scope(
        networks=networks | frozenset(row["unit_cluster_networks"]),
        limited_networks=frozenset(row["unit_cluster_networks"]),
        clusters=frozenset(row["unit_clusters"]),
        organizations=frozenset(row["unit_organizations"]),
        app_labels=frozenset(row["unit_app_labels"]),
    )


def unit_scope(unit: OrganizationalUnit) -> Scope:
    row = OrganizationalUnit.objects.filter(pk=unit.pk).values(
        **unit_scope_annotations(OuterRef("pk"))).get()
    return scope_from_row(row)


def dated_grants(user):
    """Grants of keys and roles active now; a role yields one grant per key it holds."""
    rows = (
        AccessGrant.objects.filter(user=user).active(timezone.now())
        .values("permission_key", "write", "organizational_unit_id", role_keys=F("role__permissions"),
                **unit_scope_annotations(OuterRef("organizational_unit_id")))
    )
    for row in rows:
        scope = GLOBAL_SCOPE if row["organizational_unit_id"] is None else scope_from_row(row)
        keys = [row["permission_key"]] if row["permission_key"] else row["role_keys"] or []
        for key in keys:
            yield Grant(key=key, write=row["write"], scope=scope)


def object_grants(user):
    """django-guardian permissions of the user (and its groups) on single networks and clusters.

    The codename is a permission key, or the key + ".write" for the write modifier. A permission on a
    cluster covers that cluster's objects and its network's network-level objects, like a unit naming
    the network and that cluster.
    """
    types = ContentType.objects.get_for_models(Network, Cluster)
    network_type, cluster_type = types[Network], types[Cluster]
    object_id = Cast("object_pk", BigIntegerField())
    cluster_network = Case(
        When(content_type=cluster_type.pk,
             then=Subquery(Cluster.objects.filter(pk=Cast(OuterRef("object_pk"), BigIntegerField()))
                           .values("network_id")[:1])),
        default=None, output_field=BigIntegerField(),
    )
    columns = {"codename": F("permission__codename"), "object_id": object_id, "cluster_network": cluster_network}
    user_rows = UserObjectPermission.objects.filter(
        user=user, content_type__in=[network_type, cluster_type]).values("content_type_id", **columns)
    group_rows = GroupObjectPermission.objects.filter(
        group__user=user, content_type__in=[network_type, cluster_type]).values("content_type_id", **columns)
    keys = set(permission_keys())
    for row in user_rows.union(group_rows, all=True):
        codename = row["codename"]
        write = codename.endswith(WRITE_SUFFIX)
        key = codename.removesuffix(WRITE_SUFFIX) if write else codename
        if key not in keys:
            continue
        if row["content_type_id"] == network_type.pk:
            scope = Scope(networks=frozenset([row["object_id"]]))
        elif row["cluster_network"] is not None:
            network = frozenset([row["cluster_network"]])
            scope = Scope(networks=network, limited_networks=network, clusters=frozenset([row["object_id"]]))
        else:
            continue
        yield Grant(key=key, write=write, scope=scope)
