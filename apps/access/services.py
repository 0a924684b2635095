"""Writes of access control: roles, organizational units, and granting or revoking keys and roles.

The seed's rule for granting: a granter only gives (or takes back) what it holds itself, over at least the
unit concerned; giving the write modifier needs holding it. For a role: the role, or all its keys.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.exceptions import (BusinessRuleViolation, NotFound, PermissionDenied, ValidationFailed,
                                  on_constraint)
from apps.core.models import assign
from apps.core.permissions import forget_grants, resolve_scope

from .models import AccessGrant, OrganizationalUnit, Role


# --- roles ----------------------------------------------------------------------------------------------
# Two creates of one key or unit name: the loser breaks the unique key, answered as the check would have been.
on_constraint(lambda: BusinessRuleViolation("role.key_taken", "A role with this key already exists."),
              model=Role, fields=("key",))
on_constraint(lambda: _name_taken(None), model=OrganizationalUnit, fields=("name",))


@transaction.atomic
def role_create(*, key: str, perms: list[str]) -> Role:
    return Role.objects.create(key=key, permissions=sorted(set(perms)))


@transaction.atomic
def role_update(*, key: str, perms_to_add: list[str], perms_to_remove: list[str]) -> Role:
    both = sorted(set(perms_to_add) & set(perms_to_remove))
    if both:
        raise ValidationFailed.on("perms_to_remove", f"Cannot both add and remove: {', '.join(both)}.")
    role = Role.objects.select_for_update().filter(key=key).first()
    if role is None:
        raise NotFound(f"No role with the key {key!r}.")
    role.permissions = sorted((set(role.permissions) | set(perms_to_add)) - set(perms_to_remove))
    role.save(update_fields=["permissions", "updated_at"])
    return role


# --- organizational units -------------------------------------------------------------------------------
def _check_clusters_in_unit(*, networks, app_labels, clusters) -> None:
    network_ids = {n.pk for n in networks}
    label_ids = {a.pk for a in app_labels}
    strays = [c.pk for c in clusters if c.network_id not in network_ids and c.network.app_label_id not in label_ids]
    if strays:
        raise ValidationFailed.on(
            "clusters", f"Clusters {', '.join(map(str, strays))} belong to no network of this unit.")


def _set_members(unit: OrganizationalUnit, *, app_labels, organizations, networks, clusters) -> None:
    _check_clusters_in_unit(networks=networks, app_labels=app_labels, clusters=clusters)
    unit.app_labels.set(app_labels)
    unit.organizations.set(organizations)
    unit.networks.set(networks)
    unit.clusters.set(clusters)


def _name_taken(name: str | None) -> BusinessRuleViolation:
    named = f" named {name!r}" if name else " with this name"
    return BusinessRuleViolation("organizational_unit.name_taken", f"An organizational unit{named} already exists.")


@transaction.atomic
def unit_create(*, name: str, app_labels, organizations, networks, clusters) -> OrganizationalUnit:
    if OrganizationalUnit.objects.filter(name=name).exists():
        raise _name_taken(name)
    unit = OrganizationalUnit.objects.create(name=name)
    _set_members(unit, app_labels=app_labels, organizations=organizations, networks=networks, clusters=clusters)
    return unit


@transaction.atomic
def unit_update(*, unit: OrganizationalUnit, name: str, app_labels, organizations, networks,
                clusters) -> OrganizationalUnit:
    unit = OrganizationalUnit.objects.select_for_update().get(pk=unit.pk)
    if OrganizationalUnit.objects.filter(name=name).exclude(pk=unit.pk).exists():
        raise _name_taken(name)
    unit.name = name
    unit.save(update_fields=["name", "updated_at"])
    _set_members(unit, app_labels=app_labels, organizations=organizations, networks=networks, clusters=clusters)
    return unit


@transaction.atomic
def unit_delete(*, unit: OrganizationalUnit) -> None:
    unit = OrganizationalUnit.objects.select_for_update().get(pk=unit.pk)
    holders = AccessGrant.objects.filter(organizational_unit=unit).not_expired(timezone.now())
    if holders.exists():
        raise BusinessRuleViolation(
            "organizational_unit.in_use",
            f"{holders.values('user').distinct().count()} user(s) still hold grants on this unit; revoke them first.",
        )
    unit.delete()  # expired grants on the unit go with it


# --- grants ---------------------------------------------------------------------------------------------
def _holds_over(scope, unit: OrganizationalUnit | None) -> bool:
    """Whether `scope` covers `unit` (globally for a global grant): the same rule that makes a unit visible."""
    if unit is None or scope.everything:
        return scope.everything
    return OrganizationalUnit.objects.within(scope).filter(pk=unit.pk).exists()


def require_holding(*, granter, keys, unit, write: bool, what: str) -> None:
    where = f"on {unit.name}" if unit else "globally"
    checked = {}  # a role's keys are usually held with one scope: one query per distinct scope
    for key in keys:
        scope = resolve_scope(granter, key, write=write)
        if scope not in checked:
            checked[scope] = _holds_over(scope, unit)
        if not checked[scope]:
            raise PermissionDenied(f"You can only {what} what you hold yourself: you do not hold {key!r}"
                                   f"{' with write' if write else ''} {where}.")


def _check_dates(start_date, end_date) -> None:
    if end_date is not None and end_date <= start_date:
        raise ValidationFailed.on("end_date", "end_date must be after start_date.")


@transaction.atomic
def _upsert_grant(*, user, unit, start_date, end_date, write, granter, **what) -> AccessGrant:
    # Granting what the user already holds on the unit overwrites its dates and write modifier.
    values = {"start_date": start_date, "end_date": end_date, "write": write, "granted_by": granter}
    existing = AccessGrant.objects.select_for_update().filter(user=user, organizational_unit=unit, **what).first()
    if existing is None:
        try:
            with transaction.atomic():
                grant = AccessGrant.objects.create(user=user, organizational_unit=unit, **what, **values)
        except IntegrityError:  # a concurrent grant of the same key won the race: overwrite it
            existing = AccessGrant.objects.select_for_update().get(user=user, organizational_unit=unit, **what)
    if existing is not None:
        assign(existing, **values)
        existing.save()
        grant = existing
    forget_grants(user)
    return grant


def grant_permission(*, granter, user, perm_key: str, organizational_unit, start_date, end_date,
                     write: bool) -> AccessGrant:
    _check_dates(start_date, end_date)
    require_holding(granter=granter, keys=[perm_key], unit=organizational_unit, write=write, what="grant")
    return _upsert_grant(user=user, unit=organizational_unit, start_date=start_date, end_date=end_date,
                         write=write, granter=granter, permission_key=perm_key, role=None)


def grant_role(*, granter, user, role: Role, organizational_unit, start_date, end_date,
               write: bool) -> AccessGrant:
    _check_dates(start_date, end_date)
    # Holding the role means holding each of its keys there, so checking the keys covers both cases.
    require_holding(granter=granter, keys=role.permissions, unit=organizational_unit, write=write, what="grant")
    return _upsert_grant(user=user, unit=organizational_unit, start_date=start_date, end_date=end_date,
                         write=write, granter=granter, role=role, permission_key=None)


@transaction.atomic
def _delete_grant(*, user, unit, description: str, **what) -> None:
    deleted, _ = AccessGrant.objects.filter(user=user, organizational_unit=unit, **what).delete()
    if not deleted:
        where = f"on {unit.name}" if unit else "globally"
        raise NotFound(f"{user} holds no {description} {where}.")
    forget_grants(user)


def revoke_permission(*, granter, user, perm_key: str, organizational_unit) -> None:
    require_holding(granter=granter, keys=[perm_key], unit=organizational_unit, write=False, what="revoke")
    _delete_grant(user=user, unit=organizational_unit, description=f"grant of {perm_key!r}",
                  permission_key=perm_key, role=None)


def revoke_role(*, granter, user, role: Role, organizational_unit) -> None:
    require_holding(granter=granter, keys=role.permissions, unit=organizational_unit, write=False, what="revoke")
    _delete_grant(user=user, unit=organizational_unit, description=f"role {role.key!r}", role=role,
                  permission_key=None)
