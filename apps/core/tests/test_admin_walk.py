"""A walk through every registered admin on the demo data, as a superuser and as the demo's scoped support login
(issue 34), the way a person clicks through it: the change list with each filter and with its counts, a search, the
add page, a change page saved unchanged (as the browser would post it back), its history, its delete page, and
every action. It fails on a 500, on a value the admin could not display (an error it shows as "-"), and on a field
nobody touched that changed when saved."""
import io
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from apps.core.admin import ScopedModelAdmin


class FormFields(HTMLParser):
    """The fields a browser posts back from the page's change form, with their current values."""

    def __init__(self):
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._in_form = False
        self._select: tuple[str, bool] | None = None
        self._selected: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.data.append((name, a.get("value", "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._selected, self._first_option = (name, "multiple" in a), [], None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._selected.append(value)
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = self._selected if (self._selected or multiple) else [self._first_option or ""]
            self.data += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.data.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def _posted(html: str) -> dict:
    parser = FormFields()
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    data["_save"] = ["Save"]
    return data


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


def _filter_links(response) -> list[str]:
    cl = response.context.get("cl") if response.context else None
    links = []
    for spec in getattr(cl, "filter_specs", []):
        choices = [c for c in spec.choices(cl) if not c.get("selected") and c.get("query_string")]
        if choices:
            links.append(choices[-1]["query_string"])
    return links


def _walk(client, user, failures, *, save_unchanged: bool):
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
            saved = client.post(change, _posted(page.content.decode()))
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
def test_every_admin_page_filter_count_search_save_and_action_works(login, display_errors, superuser):
    call_command("seed_demo", stdout=io.StringIO())
    user = superuser if login == "admin" else get_user_model().objects.get(email="support@fleetadmin.demo")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    failures: list[str] = []
    _walk(client, user, failures, save_unchanged=True)
    assert not failures, "\n".join(failures[:40])
    assert not display_errors, "\n".join(sorted(set(display_errors))[:40])
