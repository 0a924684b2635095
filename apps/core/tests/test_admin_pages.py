"""Every admin page opens for a superuser: changelists, add forms and a change form, on the demo data."""
import io

from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse


def test_every_admin_page_opens(superuser):
    call_command("seed_demo", stdout=io.StringIO())
    client = Client()
    client.force_login(superuser)
    failures = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:%s_%s_changelist" % info)]
        if model_admin.has_add_permission(type("Request", (), {"user": superuser})()):
            urls.append(reverse("admin:%s_%s_add" % info))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:%s_%s_change" % info, args=[first.pk]))
        failures += [(url, status) for url in urls if (status := client.get(url).status_code) != 200]
    assert len(admin.site._registry) >= 20
    assert not failures
