"""The grant sources of fleetadmin: dated grants (keys and roles on organizational units) and
django-guardian object permissions on networks and clusters. Each costs one query per request."""
from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BigIntegerField, Case, F, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission

from apps.applabels.models import AppLabel
from apps.core.prepared import PreparedQuery
from apps.core.permissions import GLOBAL_SCOPE, WRITE_SUFFIX, Grant, Scope, permission_keys
from apps.fleet.models import Cluster
from apps.networks.models import Network
from apps.organizations.models import Organization

from .models import AccessGrant


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


# Sentinels stand for the values that change between calls (see apps.core.prepared).
_USER, _NETWORK_TYPE, _CLUSTER_TYPE = -7_000_000_001, -7_000_000_002, -7_000_000_003
_NOW = datetime(1900, 1, 1, 0, 0, 7, tzinfo=UTC)


def _active_grants(user_id, now):
    return (
        AccessGrant.objects.filter(user_id=user_id).active(now)
        .values("permission_key", "write", "organizational_unit_id", role_keys=F("role__permissions"),
                **unit_scope_annotations(OuterRef("organizational_unit_id")))
    )


def _object_permissions(user_id, network_type, cluster_type):
    object_id = Cast("object_pk", BigIntegerField())
    cluster_network = Case(
        When(content_type=cluster_type,
             then=Subquery(Cluster.objects.filter(pk=Cast(OuterRef("object_pk"), BigIntegerField()))
                           .values("network_id")[:1])),
        default=None, output_field=BigIntegerField(),
    )
    columns = {"codename": F("permission__codename"), "object_id": object_id, "cluster_network": cluster_network}
    types = [network_type, cluster_type]
    user_rows = UserObjectPermission.objects.filter(user_id=user_id, content_type__in=types).values(
        "content_type_id", **columns)
    group_rows = GroupObjectPermission.objects.filter(group__user=user_id, content_type__in=types).values(
        "content_type_id", **columns)
    return user_rows.union(group_rows, all=True)


ACTIVE_GRANTS = PreparedQuery(_active_grants, user_id=_USER, now=_NOW)
OBJECT_PERMISSIONS = PreparedQuery(_object_permissions, user_id=_USER, network_type=_NETWORK_TYPE,
                                   cluster_type=_CLUSTER_TYPE)


def dated_grants(user):
    """Grants of keys and roles active now; a role yields one grant per key it holds."""
    for row in ACTIVE_GRANTS.rows(user_id=user.pk, now=timezone.now()):
        scope = GLOBAL_SCOPE if row["organizational_unit_id"] is None else scope_from_row(row)
        keys = [row["permission_key"]] if row["permission_key"] else row["role_keys"] or []
        for key in keys:
            yield Grant(key=key, write=row["write"], scope=scope)


def grants_change_at(user):
    """The next moment one of the user's dated grants starts or ends (None: none will)."""
    now = timezone.now()
    moments = AccessGrant.objects.filter(user_id=user.pk).aggregate(
        starts=Min("start_date", filter=Q(start_date__gt=now)), ends=Min("end_date", filter=Q(end_date__gt=now)))
    return min((moment for moment in moments.values() if moment is not None), default=None)


def object_grants(user):
    """django-guardian permissions of the user (and its groups) on single networks and clusters.

    The codename is a permission key, or the key + ".write" for the write modifier. A permission on a
    cluster covers that cluster's objects and its network's network-level objects, like a unit naming
    the network and that cluster.
    """
    types = ContentType.objects.get_for_models(Network, Cluster)
    network_type, cluster_type = types[Network].pk, types[Cluster].pk
    keys = set(permission_keys())
    rows = OBJECT_PERMISSIONS.rows(user_id=user.pk, network_type=network_type, cluster_type=cluster_type)
    for row in rows:
        codename = row["codename"]
        write = codename.endswith(WRITE_SUFFIX)
        key = codename.removesuffix(WRITE_SUFFIX) if write else codename
        if key not in keys:
            continue
        if row["content_type_id"] == network_type:
            scope = Scope(networks=frozenset([row["object_id"]]))
        elif row["cluster_network"] is not None:
            network = frozenset([row["cluster_network"]])
            scope = Scope(networks=network, limited_networks=network, clusters=frozenset([row["object_id"]]))
        else:
            continue
        yield Grant(key=key, write=write, scope=scope)
