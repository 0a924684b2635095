"""A scoped staff member's admin names nothing outside its scope (issue 19): not in rows, not in the change lists'
filter sidebars, not in add or change forms' choices. Checked for every registered admin on the demo data, with
every tenant object outside the scope renamed to a marker first."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib import admin
from django.db.models import CharField
from django.test import Client
from django.urls import reverse

from apps.access.tests.factories import make_grant, make_unit
from apps.core.admin import ScopedModelAdmin
from apps.core.permissions import is_tenant_model, permission_keys, resolve_scope
from apps.networks.models import Network
from apps.payments.immutability import IMMUTABLE

MARKER = "Zz-outside"


def _rename_everything_outside(scope) -> int:
    """Give every tenant row outside `scope` a marker name (the field that names it: name, key or a rider's e-mail);
    return how many."""
    renamed = 0
    for model in apps.get_models():
        if not model.__module__.startswith("apps.") or not is_tenant_model(model):
            continue
        naming = ("name", "key", "email") if model is get_user_model() else ("name", "key")
        # A money record's key is not a name, and never changes (apps.payments.immutability).
        fixed = IMMUTABLE.get(model._meta.db_table, ())
        names = [f for f in model._meta.fields
                 if isinstance(f, CharField) and f.name in naming and f.column not in fixed]
        if not names:
            continue
        outside = model._default_manager.exclude(pk__in=model._default_manager.within(scope).values("pk"))
        if model is get_user_model():
            outside = outside.filter(is_staff=False)  # riders are tenant data; the operator's staff are not
        for obj in outside:
            field = names[0]
            marker = f"{MARKER}-{obj.pk}" + ("@outside.invalid" if field.name == "email" else "")
            setattr(obj, field.name, marker[: field.max_length])
            model._base_manager.filter(pk=obj.pk).update(**{field.name: getattr(obj, field.name)})
            renamed += 1
    return renamed


def test_a_scoped_staff_members_admin_names_nothing_outside_its_scope(staff_user, demo_data):
    mine = Network.objects.order_by("pk").first()
    unit = make_unit(name="Demo team", networks=[mine])
    for key in permission_keys():
        make_grant(staff_user, key, write=True, unit=unit)
    scope = resolve_scope(staff_user, "networks.manage")
    assert _rename_everything_outside(scope) > 10  # other networks, their clusters, organizations, app labels...

    client = Client()
    client.force_login(staff_user)
    request = type("Request", (), {"user": staff_user})()
    pages, leaks = 0, []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedModelAdmin) or not model_admin.has_view_permission(request):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:%s_%s_changelist" % info)]
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:%s_%s_add" % info))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:%s_%s_change" % info, args=[first.pk]))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            pages += 1
            if MARKER in response.content.decode():
                page = response.content.decode()
                at = page.index(MARKER)
                leaks.append((url, page[max(at - 200, 0):at + 40]))
    assert pages > 40
    assert not leaks, leaks
    # The check can see names: the staff member's own network is named on its pages.
    assert mine.name in client.get(reverse("admin:networks_network_changelist")).content.decode()
