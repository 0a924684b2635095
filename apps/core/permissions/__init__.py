"""Who may do what, where: the one place the API and the admin ask (docs/architecture.md, "Scope once").

A user's rights come from *grant sources* (dated grants of keys and roles on organizational units, and
django-guardian object permissions), registered by the apps that own them. Each source yields `Grant`s:
a permission key, the write modifier and the `Scope` it covers. They are loaded once per request (a fixed
number of queries, whatever the number of checks) and merged per key by `resolve_scope()`.
`RestrictedQuerySet.restrict()` and the admin turn that scope into one filter. Superusers hold every
permission globally.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.enums import PERMISSIONS


@cache
def permission_keys() -> tuple[str, ...]:
    """The 36 permission keys of the seed, in the seed's order."""
    return PERMISSIONS


@dataclass(frozen=True)
class Scope:
    """The objects a grant (or the union of several) covers.

    `networks`: networks whose objects are covered. Of those, `limited_networks` are networks whose
    cluster-level objects (clusters, stations, spots) are limited to `clusters`. `organizations` and
    `app_labels` cover the objects that belong to them.
    """

    everything: bool = False
    networks: frozenset[int] = field(default_factory=frozenset)
    limited_networks: frozenset[int] = field(default_factory=frozenset)
    clusters: frozenset[int] = field(default_factory=frozenset)
    organizations: frozenset[int] = field(default_factory=frozenset)
    app_labels: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not self.everything and not (self.networks or self.organizations or self.app_labels)

    @property
    def full_networks(self) -> frozenset[int]:
        return self.networks - self.limited_networks

    def covers(self, network_ids) -> bool:
        return self.everything or set(network_ids) <= self.networks

    def __or__(self, other: Scope) -> Scope:
        if self.everything or other.everything:
            return GLOBAL_SCOPE
        full = self.full_networks | other.full_networks
        return Scope(
            networks=self.networks | other.networks,
            limited_networks=(self.limited_networks | other.limited_networks) - full,
            clusters=self.clusters | other.clusters,
            organizations=self.organizations | other.organizations,
            app_labels=self.app_labels | other.app_labels,
        )


NO_SCOPE = Scope()
GLOBAL_SCOPE = Scope(everything=True)


@dataclass(frozen=True)
class Grant:
    """One right a user holds now: a permission key, with or without write, over a scope."""

    key: str
    write: bool
    scope: Scope


GrantSource = Callable[[object], Iterable[Grant]]
_grant_sources: list[GrantSource] = []
# user -> the next moment its grants change by themselves (a dated grant starting or ending), or None
_change_times: list[Callable[[object], object]] = []


def register_grant_source(source: GrantSource, *, changes_at: Callable[[object], object] | None = None) -> GrantSource:
    """Apps that store rights register a function user -> active Grants, and, for rights that start or end at a
    date, `changes_at(user)`: the next such moment (the cache below keeps the grants until then at most). An app
    registering a source also calls `grants_changed()` whenever what its grants read is written."""
    if source not in _grant_sources:
        _grant_sources.append(source)
    if changes_at is not None and changes_at not in _change_times:
        _change_times.append(changes_at)
    return source


_CACHE_ATTRIBUTE = "_fleet_grants"
_GENERATION_KEY = "fleet:grants:generation"


def _bump_generation() -> None:
    # local: `cache` names something else in this module.
    from django.core.cache import cache

    if not cache.add(_GENERATION_KEY, 1, timeout=None):
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # evicted between add and incr
            cache.add(_GENERATION_KEY, 1, timeout=None)


def grants_changed(**_signal_kwargs) -> None:
    """Every user's cached grants are stale: a grant, role, unit, network, cluster or object permission changed
    (apps connect this to their models' signals). Cached entries are keyed by a generation this bumps, now and
    again when the transaction commits; until it ends, this transaction reads grants without the cache (it sees
    rows others do not, and a rollback would leave them cached)."""

    _bump_generation()
    if connection.in_atomic_block:
        connection.fleet_grants_dirty = True
        transaction.on_commit(_bump_generation)


def _shared_cache_usable() -> bool:
    if not connection.in_atomic_block:
        connection.fleet_grants_dirty = False  # any transaction that changed grants is over
        return True
    return not getattr(connection, "fleet_grants_dirty", False)


def _load_grants(user) -> tuple[Grant, ...]:
    """The grants from every source, through the shared cache: one cache read (the generation and the user's entry
    together) instead of the sources' queries on most requests. An entry is good while the generation it was stored
    under is current, until the user's dated grants change by themselves."""
    # local: `cache` names something else in this module.
    from django.core.cache import cache

    if not settings.GRANTS_CACHE_SECONDS or not _shared_cache_usable():
        return tuple(grant for source in _grant_sources for grant in source(user))
    key = f"fleet:grants:{user.pk}"
    found = cache.get_many([_GENERATION_KEY, key])
    generation = found.get(_GENERATION_KEY) or 0
    now = timezone.now()
    hit = found.get(key)
    if hit is not None and hit[0] == generation and (hit[2] is None or now < hit[2]):
        return hit[1]
    grants = tuple(grant for source in _grant_sources for grant in source(user))
    until = min((moment for changes_at in _change_times if (moment := changes_at(user)) is not None), default=None)
    timeout = settings.GRANTS_CACHE_SECONDS
    if until is not None:
        timeout = max(1, min(timeout, int((until - now).total_seconds()) + 1))
    cache.set(key, (generation, grants, until), timeout)
    return grants


def user_grants(user) -> tuple[Grant, ...]:
    """Every active grant of `user`, from all sources; cached on the user object for the request, and across
    requests in the shared cache (invalidated by `grants_changed`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = user.__dict__.get(_CACHE_ATTRIBUTE)
    if cached is None:
        cached = () if user.is_superuser else _load_grants(user)
        user.__dict__[_CACHE_ATTRIBUTE] = cached
        user.__dict__["_fleet_scopes"] = {}
    return cached


def forget_grants(user) -> None:
    """Drop the cached grants (a new request with the same user object, or after changing its grants)."""
    if user is not None:
        user.__dict__.pop(_CACHE_ATTRIBUTE, None)
        user.__dict__.pop("_fleet_scopes", None)


def resolve_scope(user, permission_key: str | None, *, write: bool = False) -> Scope:
    """What `user` may see (or change, with `write`) under `permission_key`, right now."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    if user.is_superuser:
        return GLOBAL_SCOPE
    grants = user_grants(user)
    scopes = user.__dict__["_fleet_scopes"]
    cache_key = (permission_key, write)
    if cache_key not in scopes:
        scope = NO_SCOPE
        for grant in grants:
            if grant.key == permission_key and (grant.write or not write):
                scope = scope | grant.scope
        scopes[cache_key] = scope
    return scopes[cache_key]


def scope_filter(model, scope: Scope) -> Q | None:
    """The filter selecting the rows of `model` inside `scope`; None when no row can be.

    A model says how its rows reach what a scope names, with any of `scope_network_path`,
    `scope_cluster_path` (cluster-level objects), `scope_organization_path` and `scope_app_label_path`; or it
    defines `scope_filter(scope)` itself. A model with none of these is global: only a global grant covers it.

    Cluster-level rows of a network the scope limits to some clusters are inside it only when every cluster
    they name is one of those. `scope_cluster_path` is one path or a tuple of them (a balancing discount names
    a donor and a receiver cluster). With `scope_cluster_optional`, a row naming no cluster (an alert about a
    vehicle, not a cluster) is a network-level object, seen with its network; without it, such a row is seen
    only by grants on the whole network (a standalone parking).
    """
    custom = getattr(model, "scope_filter", None)
    if custom is not None:
        return custom(scope)
    network_path = getattr(model, "scope_network_path", None)
    cluster_paths = getattr(model, "scope_cluster_path", None)
    organization_path = getattr(model, "scope_organization_path", None)
    app_label_path = getattr(model, "scope_app_label_path", None)
    branches = []
    if network_path and cluster_paths:
        if scope.full_networks:
            branches.append(Q(**{f"{network_path}__in": scope.full_networks}))
        if scope.limited_networks:
            branches.append(Q(**{f"{network_path}__in": scope.limited_networks})
                            & _names_only(cluster_paths, scope.clusters,
                                          optional=getattr(model, "scope_cluster_optional", False)))
    elif network_path and scope.networks:
        branches.append(Q(**{f"{network_path}__in": scope.networks}))
    if organization_path and scope.organizations:
        branches.append(Q(**{f"{organization_path}__in": scope.organizations}))
    if app_label_path and scope.app_labels:
        branches.append(Q(**{f"{app_label_path}__in": scope.app_labels}))
    if not branches:
        return None
    combined = branches[0]
    for branch in branches[1:]:
        combined |= branch
    return combined


def implied_by_networks(model, scope: Scope, network_ids) -> bool:
    """Whether every row of `model` in `network_ids` is inside `scope`, so that a query already limited to those
    networks needs no filter of the scope's own. A second condition on the same column (`network_id IN (scope)`
    beside the page's `network_id = ANY(asked)`) made PostgreSQL multiply the two selectivities, underestimate the
    network's rows and choose another plan: a scoped staff member's request took up to 8x a superuser's (issue 38).
    True only for a model reaching its network through its own column, with the networks in the scope (wholly, for
    a model with cluster-level rows, which a cluster limit narrows); a custom rule is never assumed."""
    if scope.everything:
        return True
    if getattr(model, "scope_filter", None) is not None or getattr(model, "scope_network_path", None) != "network":
        return False
    asked = set(network_ids)
    covered = scope.full_networks if getattr(model, "scope_cluster_path", None) else scope.networks
    return bool(asked) and asked <= covered


def creatable_within(model, scope: Scope) -> bool:
    """Whether a new row of `model` can land inside `scope`, so that an Add page is worth offering. A row that is
    itself what the scope names (a network, a cluster, an organization, an app label: the path "id") is never
    inside a limited scope once made; a global model needs a global grant; a custom rule is left to the save."""
    if scope.everything:
        return True
    if scope.empty:
        return False
    if getattr(model, "scope_filter", None) is not None:
        return True
    own = ("id", "pk")
    cluster_path = getattr(model, "scope_cluster_path", None)
    network_path = getattr(model, "scope_network_path", None)
    organization_path = getattr(model, "scope_organization_path", None)
    app_label_path = getattr(model, "scope_app_label_path", None)
    return any([
        cluster_path in own and bool(scope.full_networks),
        cluster_path not in own and network_path not in own and network_path is not None and bool(scope.networks),
        organization_path not in own and organization_path is not None and bool(scope.organizations),
        app_label_path not in own and app_label_path is not None and bool(scope.app_labels),
    ])


def is_tenant_model(model) -> bool:
    """Whether rows of `model` belong to tenants (a scope path or filter), so must be restricted wherever shown."""
    return model is not None and (hasattr(model, "scope_filter") or any(getattr(model, attribute, None) for attribute in (
        "scope_network_path", "scope_cluster_path", "scope_organization_path", "scope_app_label_path")))


def _names_only(paths, clusters: frozenset[int], *, optional: bool) -> Q:
    """Every cluster the row names through `paths` is one of `clusters` (with `optional`, or names none)."""
    condition = Q()
    for path in (paths,) if isinstance(paths, str) else paths:
        allowed = Q(**{f"{path}__in": clusters})
        condition &= (allowed | Q(**{f"{path}__isnull": True})) if optional else allowed
    return condition


WRITE_SUFFIX = ".write"


def object_permission_choices() -> list[tuple[str, str]]:
    """Django permissions a model offers for django-guardian object grants: each key, read and write.

    Declared as `Meta.permissions` on the models an object grant can name (networks, clusters); the
    codename is the key itself, or the key followed by ".write" for the write modifier.
    """
    choices = []
    for key in permission_keys():
        choices.append((key, f"{key} (read)"))
        choices.append((key + WRITE_SUFFIX, f"{key} (read and write)"))
    return choices
