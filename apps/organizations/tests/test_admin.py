"""An organization's admin page as staff of one of the networks its rules reach."""
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from apps.access.tests.factories import make_grant, make_unit
from apps.networks.tests.factories import make_network
from apps.organizations.models import OrganizationRule

from .factories import make_organization


def _rule(organization, network, name):
    return OrganizationRule.objects.create(organization=organization, network=network, start_dow=1, start_hod=0,
                                          end_dow=2, end_hod=0, paid_by_org_ratio=Decimal("1"), rule_name=name,
                                          network_name=network.name)


def test_the_rules_of_another_network_are_neither_shown_nor_changed_on_a_shared_organizations_page(staff_user):
    organization, ours, theirs = make_organization(), make_network(name="Ours"), make_network(name="Theirs")
    _rule(organization, ours, "Our mornings")
    _rule(organization, theirs, "Their evenings")
    make_grant(staff_user, "organizations", write=True, unit=make_unit(networks=[ours], organizations=[organization]))
    client = Client()
    client.force_login(staff_user)
    page = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Our mornings" in html
    assert "Their evenings" not in html and ">Theirs<" not in html
    before = sorted(OrganizationRule.objects.values_list("pk", "network_id", "rule_name"))
    formset = page.context["inline_admin_formsets"][0].formset
    data = {key: "" if value is None else value for form in [page.context["adminform"].form]
            for key, value in form.initial.items() if not isinstance(value, list)}
    management = {f"{formset.prefix}-TOTAL_FORMS": "1", f"{formset.prefix}-INITIAL_FORMS": "1",
                  f"{formset.prefix}-MIN_NUM_FORMS": "0", f"{formset.prefix}-MAX_NUM_FORMS": "1000"}
    rule = formset.forms[0]
    rows = {f"{rule.prefix}-{name}": "" if value is None else value for name, value in rule.initial.items()}
    rows.update({f"{rule.prefix}-id": rule.instance.pk, f"{rule.prefix}-DELETE": "on"})
    saved = client.post(page.request["PATH_INFO"], {**data, **management, **rows,
                                                    "administrator": organization.administrator_id})
    assert saved.status_code == 302, saved.context["errors"] if saved.context else saved
    # Deleting every rule shown deletes ours only.
    after = sorted(OrganizationRule.objects.values_list("pk", "network_id", "rule_name"))
    assert after == [row for row in before if row[2] == "Their evenings"]
