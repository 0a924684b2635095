"""Every admin page opens for a superuser on the demo data: changelists (each at a fixed number of queries,
whatever its rows), add forms and a change form."""
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# Queries a change list page may run: session and user, scope resolution, the capped count, the rows (with their
# related rows joined), the filters' choices; never one per row. The demo has up to 2,000 rows per table.
CHANGE_LIST_QUERIES = 20


def test_every_admin_page_opens(superuser, demo_data):
    client = Client()
    client.force_login(superuser)
    failures, heavy = [], []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:%s_%s_changelist" % info)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(changelist)
        if len(queries) > CHANGE_LIST_QUERIES:
            heavy.append((changelist, len(queries), response.context["cl"].result_count))
        urls = [changelist]
        if model_admin.has_add_permission(type("Request", (), {"user": superuser})()):
            urls.append(reverse("admin:%s_%s_add" % info))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:%s_%s_change" % info, args=[first.pk]))
        failures += [(url, status) for url in urls if (status := client.get(url).status_code) != 200]
    assert len(admin.site._registry) >= 20
    assert not failures
    assert not heavy, heavy


# Tables that grow with the riders and their trips: a <select> of all their rows would load millions.
BIG_TABLES = {"accounts.User", "trips.Trip", "fleet.Vehicle", "payments.Transaction", "fleet.FleetAlert",
              "audit.AccessLog", "riders.RiderMessage", "payments.Wallet", "payments.PaymentMethod"}


def test_no_admin_form_lists_a_big_table_in_a_select(superuser):
    request = type("Request", (), {"user": superuser})()
    selects = []
    for model, model_admin in admin.site._registry.items():
        if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
            continue  # pages shown read-only: related rows are links, not selects
        readonly = set(model_admin.get_readonly_fields(request, None))
        widgets = set(model_admin.raw_id_fields) | set(model_admin.autocomplete_fields) | readonly
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and getattr(field, "editable", False)):
                continue
            if field.related_model._meta.label in BIG_TABLES and field.name not in widgets:
                fields = model_admin.get_fields(request, None)
                if field.name in fields:
                    selects.append(f"{model._meta.label}.{field.name}")
    assert not selects, selects
