from decimal import Decimal

from apps.accounts.models import User

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
