from decimal import Decimal

from apps.accounts.models import User
from apps.networks.models import Network

from .models import Organization

# (name, email pattern, guarantor, share of outside-rules cost paid)
ORGANIZATIONS = [
    ("Hospices Civils", "%@chu-demo.example", True, "0.5"),
    ("Université Lumière", "%@univ-demo.example", False, "0"),
    ("Metro Tech Campus", "%@metrotech-demo.example", True, "1"),
]


def seed(ctx):
    owners = [n.third_party for n in ctx.made["networks"].values() if n.third_party_id]
    riders = list(User.objects.filter(email__endswith="@riders.demo").order_by("id")[:len(ORGANIZATIONS)])
    made = {}
    for (name, pattern, guarantor, ratio), owner, admin in zip(ORGANIZATIONS, owners, riders):
        made[name], _ = Organization.objects.get_or_create(name=name, defaults={
            "third_party": owner, "administrator": admin, "email_pattern": pattern, "is_guarantor": guarantor,
            "paid_outside_rules_ratio": Decimal(ratio), "description": f"Members ride with {name}'s rules.",
        })
    ctx.made["organizations"] = made
    ctx.log(f"organizations: {', '.join(made)}")


def seed_rules_and_requests(ctx):
    """Rules for the demo organizations on the first network, and pending enrolment requests."""

    # at call time: riders imports organizations at load time (a cycle).
    from apps.riders.models import NetworkMembership

    # local: `Organization` names something else in this module.
    from .models import EnrolmentRequest, Organization, OrganizationRule

    network = Network.objects.order_by("pk").first()
    if network is None or OrganizationRule.objects.exists():
        return
    for organization in Organization.objects.order_by("pk")[:2]:
        OrganizationRule.objects.create(organization=organization, network=network, start_dow=1, start_hod=7 * 3600,
                                        end_dow=5, end_hod=20 * 3600, paid_by_org_ratio=Decimal("1"),
                                        rule_name="Weekdays, working hours", network_name=network.name)
        organization.manual_approbation = True
        organization.allow_outside_rules, organization.paid_outside_rules_ratio = True, Decimal("0.5")
        organization.save()
        for membership in NetworkMembership.objects.filter(network=network).select_related("rider")[:3]:
            EnrolmentRequest.objects.get_or_create(organization=organization, rider=membership.rider,
                                                   status=EnrolmentRequest.Status.PENDING)
