from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.core.permissions import permission_keys

from .models import AccessGrant, OrganizationalUnit, Role

ROLES = {
    "support-agent": ["dashboard.access", "users.list", "users.support", "trips", "stations"],
    "fleet-manager": ["dashboard.access", "stations", "stations.advanced", "vehicles.manage", "maintenances",
                      "vehicles.alerts", "trips", "stocks.vehicles"],
    "network-admin": [k for k in permission_keys() if k not in {"developer", "app.debug", "roles", "app.label"}],
}


def seed(ctx):
    roles = {key: Role.objects.get_or_create(key=key, defaults={"permissions": perms})[0]
             for key, perms in ROLES.items()}
    units = {}
    for network in ctx.made["networks"].values():
        unit, created = OrganizationalUnit.objects.get_or_create(name=f"{network.name}"[:50])
        if created:
            unit.networks.set([network])
        units[network.name] = unit
    lyon = next(iter(ctx.made["networks"].values()))
    first_cluster = ctx.made["clusters"][lyon.name][0]
    station_unit, created = OrganizationalUnit.objects.get_or_create(name=f"{lyon.name} - {first_cluster.name}"[:50])
    if created:
        station_unit.networks.set([lyon])
        station_unit.clusters.set([first_cluster])
    since = timezone.now() - timedelta(days=30)
    # (staff login, role, unit, write): what each demo staff member may do.
    plan = [("support", roles["support-agent"], units[lyon.name], True),
            ("ops", roles["fleet-manager"], station_unit, True),
            ("finance", None, None, False)]
    for login, role, unit, write in plan:
        user = User.objects.get(email=f"{login}@fleetadmin.demo")
        what = {"role": role, "permission_key": None} if role else {"permission_key": "transactions", "role": None}
        AccessGrant.objects.get_or_create(user=user, organizational_unit=unit, **what,
                                          defaults={"start_date": since, "write": write})
    ctx.log(f"access: {len(roles)} roles, {len(units) + 1} organizational units; support@ is Lyon support, "
            f"ops@ manages the {first_cluster.name} cluster, finance@ reads transactions everywhere")
