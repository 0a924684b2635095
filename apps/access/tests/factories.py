import itertools
from datetime import timedelta

from django.utils import timezone

from apps.access.models import AccessGrant, OrganizationalUnit, Role

_seq = itertools.count(1)


def make_unit(*, name=None, networks=(), clusters=(), app_labels=(), organizations=()) -> OrganizationalUnit:
    unit = OrganizationalUnit.objects.create(name=name or f"Unit {next(_seq)}")
    unit.networks.set(networks)
    unit.clusters.set(clusters)
    unit.app_labels.set(app_labels)
    unit.organizations.set(organizations)
    return unit


def make_role(*, key=None, permissions=()) -> Role:
    return Role.objects.create(key=key or f"role-{next(_seq)}", permissions=list(permissions))


def make_grant(user, key_or_role, *, write=False, unit=None, start_date=None, end_date=None) -> AccessGrant:
    what = {"role": key_or_role} if isinstance(key_or_role, Role) else {"permission_key": key_or_role}
    return AccessGrant.objects.create(
        user=user, organizational_unit=unit, write=write,
        start_date=start_date or timezone.now() - timedelta(hours=1), end_date=end_date, **what,
    )
