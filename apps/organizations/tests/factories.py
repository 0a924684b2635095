import itertools

from django.contrib.auth import get_user_model

from apps.networks.tests.factories import make_third_party
from apps.organizations.models import Organization

_seq = itertools.count(1)


def make_organization(**fields) -> Organization:
    n = next(_seq)
    fields.setdefault("name", f"Organization {n}")
    fields.setdefault("third_party", make_third_party())
    if "administrator" not in fields:
        fields["administrator"] = get_user_model().objects.create_user(email=f"org-admin-{n}@example.com")
    return Organization.objects.create(**fields)
