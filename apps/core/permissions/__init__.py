"""Who may do what, where: the one place the API and the admin ask (ARCHITECTURE.md, "Scope once").

`resolve_scope(user, key, write=...)` says which networks a user may act on with a permission key;
`RestrictedQuerySet.restrict()` turns that into a filter. Superusers hold every permission globally.
Grant sources (roles, organizational units, dated grants, django-guardian object permissions) plug in
here and nowhere else; until the access-control issue lands, only superusers hold permissions.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    networks: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.networks

    def covers(self, network_ids) -> bool:
        return self.everything or set(network_ids) <= self.networks


NO_SCOPE = Scope()
GLOBAL_SCOPE = Scope(everything=True)


def resolve_scope(user, permission_key: str | None, *, write: bool = False) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    # Cached on the user object, which lives as long as the request.
    cache = user.__dict__.setdefault("_fleet_scope_cache", {})
    cache_key = (permission_key, write)
    if cache_key not in cache:
        cache[cache_key] = _compute_scope(user, permission_key, write)
    return cache[cache_key]


def _compute_scope(user, permission_key, write) -> Scope:
    if user.is_superuser:
        return GLOBAL_SCOPE
    return NO_SCOPE
