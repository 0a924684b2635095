"""A walk through every registered admin on the demo data, as a superuser and as the demo's scoped support login
(issue 34), the way a person clicks through it: the change list with each filter and with its counts, a search, the
add page, a change page saved unchanged (as the browser would post it back), its history, its delete page, and
every action. It fails on a 500, on a value the admin could not display (an error it shows as "-"), on a field
nobody touched that changed when saved, and on a save of a row with rules (a model the domain's services write)
that no service made."""
import importlib
import sys

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import pre_delete, pre_save
from django.test import Client
from django.urls import reverse

from apps.core.admin import ScopedModelAdmin
from apps.core.testing.forms import posted_form as _posted


def _state(obj) -> dict:
    """The row's stored values, but the ones a save always touches."""
    fresh = type(obj)._base_manager.filter(pk=obj.pk).values().first() or {}
    auto = {f.attname for f in type(obj)._meta.concrete_fields if getattr(f, "auto_now", False)}
    return {k: v for k, v in fresh.items() if k not in auto}


@pytest.fixture
def display_errors(monkeypatch):
    """Values a display function failed to compute: Django's admin shows them as "-" and says nothing."""
    seen = []
    lookup = helpers.lookup_field

    def recording(name, obj, model_admin=None):
        try:
            return lookup(name, obj, model_admin)
        except ObjectDoesNotExist:
            raise
        except (AttributeError, ValueError) as exc:
            seen.append(f"{type(obj).__name__}.{name}: {type(exc).__name__}: {exc}")
            raise

    monkeypatch.setattr(helpers, "lookup_field", recording)
    return seen


def _models_with_services() -> set:
    """The models a domain's services module works with: rows whose writes have rules."""
    from django.apps import apps

    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        found |= {value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, Model) and value._meta.app_label == config.label}
    return found


def _inside_a_service() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("apps.") and (name.endswith(".services") or ".services." in name):
            return True
        frame = frame.f_back
    return False


@pytest.fixture
def service_bypasses():
    """Writes of rows with rules made by the admin itself rather than through a service."""
    ruled, seen = _models_with_services(), []

    def check(sender, instance, **kwargs):
        if sender in ruled and not _inside_a_service():
            seen.append(f"{sender.__name__} {instance.pk}")

    pre_save.connect(check, weak=False, dispatch_uid="walk-bypass")
    pre_delete.connect(check, weak=False, dispatch_uid="walk-bypass-delete")
    yield seen
    pre_save.disconnect(dispatch_uid="walk-bypass")
    pre_delete.disconnect(dispatch_uid="walk-bypass-delete")


def _filter_links(response) -> list[str]:
    cl = response.context.get("cl") if response.context else None
    links = []
    for spec in getattr(cl, "filter_specs", []):
        choices = [c for c in spec.choices(cl) if not c.get("selected") and c.get("query_string")]
        if choices:
            links.append(choices[-1]["query_string"])
    return links


def _walk(client, user, failures, *, save_unchanged: bool, bypasses: list | None = None):
    request = type("Request", (), {"user": user, "GET": {}, "POST": {}, "method": "GET"})()
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:%s_%s_changelist" % info)

        def get(url, **params):
            response = client.get(url, params)
            if response.status_code >= 500:
                failures.append(f"{user.email} GET {url} {params}: {response.status_code}")
            return response

        listed = get(changelist)
        get(changelist, _facets="True")
        for query in _filter_links(listed):
            get(changelist + query)
            get(changelist + query + "&_facets=True")
        if model_admin.get_search_fields(request):
            get(changelist, q="a")
        if model_admin.has_add_permission(request):
            get(reverse("admin:%s_%s_add" % info))
        queryset = model_admin.get_queryset(request)
        obj = queryset.order_by("pk").first() if isinstance(model_admin, ScopedModelAdmin) else \
            model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        change = reverse("admin:%s_%s_change" % info, args=[obj.pk])
        page = get(change)
        get(reverse("admin:%s_%s_history" % info, args=[obj.pk]))
        get(reverse("admin:%s_%s_delete" % info, args=[obj.pk]))
        if save_unchanged and page.status_code == 200 and model_admin.has_change_permission(request, obj):
            before = _state(obj)
            bypassed = len(bypasses) if bypasses is not None else 0
            saved = client.post(change, _posted(page.content.decode()))
            if bypasses is not None and len(bypasses) > bypassed:
                failures.append(f"{user.email} unchanged save of {model.__name__} {obj.pk} wrote without a service: "
                                f"{bypasses[bypassed:]}")
            if saved.status_code != 302:
                errors = saved.context["adminform"].form.errors if saved.context and "adminform" in saved.context \
                    else saved.status_code
                failures.append(f"{user.email} unchanged save of {model.__name__} {obj.pk}: {errors}")
            elif _state(obj) != before:
                after = _state(obj)
                changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
                failures.append(f"{user.email} unchanged save of {model.__name__} {obj.pk} changed {changed}")
        for action in model_admin.get_actions(listed.wsgi_request):
            if action == "delete_selected":
                continue
            response = client.post(changelist, {"action": action, "_selected_action": [obj.pk]})
            if response.status_code >= 500:
                failures.append(f"{user.email} action {model.__name__}.{action}: {response.status_code}")


@pytest.mark.parametrize("login", ["admin", "support"])
def test_every_admin_page_filter_count_search_save_and_action_works(login, display_errors, service_bypasses,
                                                                  superuser, demo_data):
    user = superuser if login == "admin" else get_user_model().objects.get(email="support@fleetadmin.demo")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    failures: list[str] = []
    _walk(client, user, failures, save_unchanged=True, bypasses=service_bypasses)
    assert not failures, "\n".join(failures[:40])
    assert not display_errors, "\n".join(sorted(set(display_errors))[:40])
