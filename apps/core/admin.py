"""The admin decides access through the same code as the API (apps.core.permissions).

A `ScopedModelAdmin` names the permission key the API uses for the same objects. Rows come from
`restrict()` with that key; viewing needs the key, changing, adding and deleting need it with the write
modifier on the object; foreign-key choices are limited to what the user may change; the change list's
filters by a related tenant object (network, cluster, organization, unit...) offer only what the user sees; a
saved object must land inside the user's write scope (else the whole save is rolled back); bulk actions only
touch rows the user may change.
"""
from functools import cached_property, wraps
import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from auditlog.mixins import AuditlogHistoryAdminMixin
from guardian.admin import GuardedModelAdminMixin
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.template.response import TemplateResponse
from django.utils import timezone

from apps.core.admin_money import MoneyColumn, money_columns
from apps.core.api.params import form_serializer
from apps.core.exceptions import ApiError, constraint_error
from apps.core.geo import ShapeError, polygon_from_points
from apps.core.permissions import creatable_within, is_tenant_model, resolve_scope

from . import admin_exports


def _is_tenant_model(model) -> bool:
    # Choices of these are limited to the user's scope: networks, clusters, stations, organizations, app labels,
    # organizational units...
    return is_tenant_model(model) and hasattr(model._default_manager, "restrict")


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A change-list filter by a related tenant object that lists only the objects the user sees."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin) or field.related_model._meta.ordering
        rows = model_admin.restricted(request, field.related_model._default_manager.all(), write=False)
        return [(obj.pk, str(obj)) for obj in rows.order_by(*ordering)]


class CappedCountPaginator(Paginator):
    """Counts at most `ADMIN_COUNT_CAP` + 1 rows (`SELECT count(*) FROM (... LIMIT n)`): a filtered change list over
    millions of trips opens without counting them all; past the cap the page says "more than" and offers the
    first pages only (the filters narrow down further)."""

    @cached_property
    def cap(self) -> int:
        return settings.ADMIN_COUNT_CAP

    @cached_property
    def count(self) -> int:
        return min(self.object_list.order_by()[: self.cap + 1].count(), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class ShownOnceTokenMixin:
    """The admin of a row holding a bearer token's hash (an agency's, a telemetry provider's): the token is made when
    the row is created and shown once; only its hash is kept (the model's `new_token()` gives both)."""

    token_holder = "The holder"

    def save_model(self, request, obj, form, change):
        if not change:
            token, obj.key_hash = type(obj).new_token()
            self.message_user(request, f"{self.token_holder}'s token (shown once, copy it now): {token}",
                              messages.WARNING)
        super().save_model(request, obj, form, change)


class ScopedModelAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    permission_key: str | None = None
    paginator = CappedCountPaginator
    show_full_result_count = False  # the unfiltered total would be one more COUNT(*) over the whole table
    change_list_template = "admin/fleetadmin/change_list.html"
    # A scheme-less address typed in a URL field is read as https (Django 6.0's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Fields whose changes have rules (a vehicle's network, a trip's amount...): shown read-only on existing
    # objects, changed only by the admin actions that call the same services as the API.
    rule_fields: tuple[str, ...] = ()
    # Where a row's currency is, when it is neither its own `currency` nor its network's (apps.core.admin_money).
    currency_path: str | None = None

    def get_list_display(self, request):
        return money_columns(self.model, super().get_list_display(request), self.currency_path)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [name for name in self.rule_fields if name not in fields]
        return fields

    # --- exports -------------------------------------------------------------------------------------------
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("export/background/", wrap(self._background_export), name="%s_%s_export_background" % info),
            path("export/<str:fmt>/", wrap(lambda request, fmt: admin_exports.export_view(self, request, fmt)),
                 name="%s_%s_export" % info),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        # Models with a recorded history (apps.audit.history) show it, with each change's diff, whoever made it
        # (admin or API); others keep Django's list of admin edits.

        if not auditlog.contains(self.model):
            return super().history_view(request, object_id, extra_context)
        if self.get_object(request, object_id) is None:
            raise Http404("No such object in your scope.")
        return self.auditlog_history_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        base = reverse("admin:%s_%s_changelist" % (self.opts.app_label, self.opts.model_name))
        response = super().changelist_view(request, {"export_url": base + "export/", **(extra_context or {})})
        context = getattr(response, "context_data", None) or {}
        if "cl" in context and getattr(context["cl"].paginator, "capped", False):
            # One count on the page: past the cap, "all selected" says what the paginator says, not cap + 1.
            context["selection_note_all"] = f"All (more than {context['cl'].paginator.cap:,}) selected"
        return response

    def describe_action_input(self, request, name: str, value: str) -> str:
        """How a confirmation page names a choice of the action bar (an admin with choices of rows, a network or a
        stock, names them); by default the label of a choice field, else the value as typed."""
        field = self.action_form.base_fields.get(name)
        choices = dict(getattr(field, "choices", None) or ())
        return str(choices.get(value, value))

    def _background_export(self, request):
        if request.method != "POST":
            raise PermissionDenied("An export is started with the change list's button.")
        return admin_exports.start_background_export(self, request, request.POST.get("format", ""))

    # --- rows ----------------------------------------------------------------------------------------------
    def get_list_select_related(self, request):
        # The declared joins plus every foreign key shown as a column: a column never costs a query per row.
        declared = self.list_select_related
        declared = list(declared) if isinstance(declared, list | tuple) else []
        columns = self.get_list_display(request)
        shown = [name for name in columns
                 if isinstance(name, str) and isinstance(getattr(self.model, name, None), models.fields
                                                         .related_descriptors.ForwardManyToOneDescriptor)]
        shown += [join for column in columns if isinstance(column, MoneyColumn) for join in column.relations]
        return declared + [name for name in dict.fromkeys(shown)
                           if not any(path.split("__")[0] == name.split("__")[0] and len(path) >= len(name)
                                      for path in declared)]

    def restricted(self, request, queryset, *, write: bool):
        return queryset.restrict(request.user, self.permission_key, write=write)

    def get_queryset(self, request):
        return self.restricted(request, super().get_queryset(request), write=False)

    def get_list_filter(self, request):
        # Every filter by a relation to a tenant model lists only what the user sees, whatever the admin class
        # declares: naming another tenant's networks in a sidebar is a leak like showing its rows.
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and _is_tenant_model(_related_model(self.model, entry)):
                entry = (entry, ScopedRelatedFieldListFilter)
            filters.append(entry)
        return filters

    def _covers(self, request, obj, *, write: bool) -> bool:
        if resolve_scope(request.user, self.permission_key, write=write).empty:
            return False
        if obj is None or obj.pk is None:
            return True
        manager = type(obj)._default_manager
        return self.restricted(request, manager.filter(pk=obj.pk), write=write).exists()

    # --- rights --------------------------------------------------------------------------------------------
    def has_module_permission(self, request):
        return self._covers(request, None, write=False)

    def has_view_permission(self, request, obj=None):
        return self._covers(request, obj, write=False)

    def has_add_permission(self, request):
        # No Add page for what could never be saved in the user's scope (a network, when the grant names some).
        return creatable_within(self.model, resolve_scope(request.user, self.permission_key, write=True))

    def has_change_permission(self, request, obj=None):
        return self._covers(request, obj, write=True)

    def has_delete_permission(self, request, obj=None):
        return self._covers(request, obj, write=True)

    # --- writes --------------------------------------------------------------------------------------------
    def _limit_choices(self, request, db_field, kwargs):
        if _is_tenant_model(db_field.related_model) and "queryset" not in kwargs:
            kwargs["queryset"] = self.restricted(request, db_field.related_model._default_manager.all(), write=True)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._limit_choices(request, db_field, kwargs))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk is not None:
            _keep_current_choices(form, obj)
        if self.saves_through_service:
            form = type(form.__name__, (ServiceCheckedForm, form), {"admin_save": (self, request, change)})
        return form

    # --- writes through the services ----------------------------------------------------------------------
    def save_through_service(self, request, obj, form, change):
        """Admins of rows with rules override this: save `obj` (the form's values) through the service the API
        uses, returning the saved row. The form runs it first in a rolled-back savepoint, so what the service
        refuses is shown on the form, naming the field, and nothing is written."""
        raise NotImplementedError

    @property
    def saves_through_service(self) -> bool:
        return type(self).save_through_service is not ScopedModelAdmin.save_through_service

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # saved as it stood: nothing is written (no new version, no history entry of no change)
        if not self.saves_through_service:
            return super().save_model(request, obj, form, change)
        saved = self.save_through_service(request, obj, form, change)
        for field in type(obj)._meta.concrete_fields:  # the admin logs and redirects to the saved row
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    @staticmethod
    def changed_values(form, names) -> dict:
        """The given fields' form values, only those the user changed (a partial update's keyword arguments)."""
        return {name: form.cleaned_data[name] for name in names if name in form.changed_data}

    def save_form(self, request, form, change):
        instance = super().save_form(request, form, change)
        if change:
            # A field the page shows but nobody changed keeps its stored value exactly (a date's microseconds, which
            # the widget does not show, a value the user could not have chosen).
            stored = type(instance)._base_manager.filter(pk=instance.pk).first()
            concrete = {f.name: f.attname for f in type(instance)._meta.concrete_fields}
            for name in form.fields:
                if name in concrete and name not in form.changed_data and stored is not None:
                    setattr(instance, concrete[name], getattr(stored, concrete[name]))
        return instance

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._limit_choices(request, db_field, kwargs))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the object and its relations are saved, inside the admin's transaction.
        if not self._covers(request, form.instance, write=True):
            raise PermissionDenied("The object would land outside what you may change.")

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, self.restricted(request, queryset, write=True))

    def delete_view(self, request, object_id, extra_context=None):
        # A delete the service refuses (a stock still holding vehicles) is said on the object's page, not a 500.

        try:
            return super().delete_view(request, object_id, extra_context)
        except ApiError as exc:
            self.message_user(request, exc.text, messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                                                args=[object_id]))

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {name: (self._writable_only(func), name, description)
                for name, (func, name, description) in actions.items()}

    def each_through_service(self, request, queryset, service, done: str) -> int:
        """An action's work: `service(row)` per row, each all or nothing (the services' own transactions); says how
        many were done and, per row, what the rules refused. Returns how many were done."""

        succeeded, refused = 0, []
        for row in queryset:
            try:
                service(row)
                succeeded += 1
            except ApiError as exc:
                refused.append(f"{row}: {exc.text}")
        self.message_user(request, f"{succeeded} {self.model._meta.verbose_name}(s) {done}.")
        for problem in refused:
            self.message_user(request, problem, level=messages.ERROR)
        return succeeded

    def action_input(self, request, operation_id: str, *names: str) -> dict | None:
        """The action bar's typed values of `names`, validated as the API operation `operation_id` validates its
        body parameters of the same names (one declaration of the bounds); None after saying what is wrong."""

        typed = {name: (request.POST.get(name) or "").strip() for name in names}
        serializer = form_serializer(operation_id, names)(data={k: v for k, v in typed.items() if v != ""})
        if serializer.is_valid():
            return dict(serializer.validated_data)
        for name, problems in serializer.errors.items():
            self.message_user(request, f"{name}: {' '.join(map(str, problems))}", level=messages.ERROR)
        return None

    def _writable_only(self, action):
        @wraps(action)
        def run(modeladmin, request, queryset):
            return action(modeladmin, request, self.restricted(request, queryset, write=True))
        return run


# What the change list's action bar posts that is not a parameter of the action itself.
_ACTION_BAR_FIELDS = {"csrfmiddlewaretoken", "action", "_selected_action", "index", "select_across", "confirmed"}
CONFIRMATION_SHOWN = 100  # rows listed on a confirmation page (the count says how many in all)


def confirmed_action(action):
    """An admin action that first shows the selected rows and what will happen to them, and runs only when staff
    confirm (the page posts the same selection and the action bar's fields back, with `confirmed=yes`). Wrap it
    under `@admin.action(...)`, whose description the page repeats."""

    @wraps(action)
    def run(modeladmin, request, queryset):
        if request.POST.get("confirmed") == "yes":
            return action(modeladmin, request, queryset)

        opts = modeladmin.model._meta
        carried = [(name, value, modeladmin.describe_action_input(request, name, value))
                   for name in request.POST if name not in _ACTION_BAR_FIELDS for value in request.POST.getlist(name)]
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": "Are you sure?", "opts": opts, "action": action.__name__,
            "description": getattr(run, "short_description", action.__name__),
            "count": queryset.count(), "objects": list(queryset[:CONFIRMATION_SHOWN]),
            "selected": request.POST.getlist("_selected_action"),
            "select_across": request.POST.get("select_across", "0"), "carried": carried,
        }
        return TemplateResponse(request, "admin/fleetadmin/confirm_action.html", context)

    return run


def _keep_current_choices(form, obj) -> None:
    """An existing object's current related rows stay among their field's choices, even outside what the user may
    choose: saving it unchanged keeps them (a rider's app label, seen by support staff of one of its networks)."""

    for name, field in form.base_fields.items():
        if isinstance(field, ModelMultipleChoiceField) and hasattr(obj, name):
            current = list(getattr(obj, name).values_list("pk", flat=True))
        elif isinstance(field, ModelChoiceField):
            current = [getattr(obj, f"{name}_id", None)]
        else:
            continue
        current = [pk for pk in current if pk is not None]
        if current and field.queryset.filter(pk__in=current).count() < len(current):
            model = field.queryset.model
            field.queryset = model._default_manager.filter(
                Q(pk__in=field.queryset.values("pk")) | Q(pk__in=current))


def _related_model(model, path: str):
    try:
        field = get_fields_from_path(model, path)[-1]
    except Exception:  # not a field path (a SimpleListFilter name, a method): nothing to restrict
        return None
    return field.related_model if field.is_relation else None


class IndexedSearchMixin:
    """A change-list search over a big table that uses indexes: a number finds the row by id, a UUID by
    `search_uuid_field`, an e-mail address (`@`) the rows of that exact rider (the unique e-mail index), other text the
    rows of riders whose address contains it (a scan of the riders, not of their millions of rows). Django's
    default would OR `id::text`, `UPPER(...)` and `LIKE` conditions over the whole joined table."""

    search_rider_path = "rider"
    search_uuid_field: str | None = None
    search_fields = ["=id"]  # shows the search box; the search itself is below

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdigit():
            return queryset.filter(pk=int(term)) if int(term) < 2**63 else queryset.none(), False
        if self.search_uuid_field:
            try:
                return queryset.filter(**{self.search_uuid_field: uuid.UUID(term)}), False
            except ValueError:
                pass
        riders = get_user_model().objects.filter(email=term.lower()) if "@" in term else \
            get_user_model().objects.filter(email__icontains=term)
        return queryset.filter(**{f"{self.search_rider_path}__in": riders.values("pk")}), False


class ReadOnlyAdmin(ScopedModelAdmin):
    """Rows written by the system or the services only (logs, records of what was sent, summaries): listed and
    viewed here, never added or edited; actions may still call the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecordAdmin(ReadOnlyAdmin):
    """Records of money and numbered documents (payments, refunds, invoices, ledger entries, holds, passes bought):
    never added, edited or deleted here, as the database refuses it too (apps.payments.immutability); corrections
    are actions that call the services (a refund, a credit)."""

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedInline:
    """An inline whose rights are those of its parent object in the parent's ScopedModelAdmin, and whose choices of
    tenant objects are limited like the parent's forms."""

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._parent_admin()._limit_choices(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Rows that belong to tenants of their own are scoped by them however they are reached: a shared
        # organization's rules of another network are not shown (nor changed) on its page.
        queryset = super().get_queryset(request)
        if not _is_tenant_model(self.model):
            return queryset
        return self._parent_admin().restricted(request, queryset, write=False)

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)


class ReadOnlyInline(ScopedInline, admin.TabularInline):
    """Rows shown on their parent's page for reading (a trip's events, a network's clusters): written elsewhere."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def when(moment, *, date_only: bool = False) -> str:
    """A time as staff read it: in the admin's time zone, with the zone said ("2026-12-04 06:07 CET"). Format it
    before `format_html`, which escapes its arguments first (a format spec on the escaped text fails)."""
    if moment is None:
        return "-"

    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return local.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M %Z")


def table(head: list, rows: list[list]):
    """A small HTML table for a read-only field (hours, histograms) instead of raw JSON."""
    header = format_html_join("", "<th>{}</th>", ((cell,) for cell in head))
    body = format_html_join("", "<tr>{}</tr>", (
        (format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows))
    return format_html('<table class="fa-table"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', header, body)


def shape_svg(points, size: int = 240):
    """A polygon of [latitude, longitude] points drawn as an inline SVG (north up), for read-only display."""
    if not points:
        return "-"
    lats, lngs = [float(p[0]) for p in points], [float(p[1]) for p in points]
    span = max(max(lats) - min(lats), max(lngs) - min(lngs)) or 1.0
    scale = (size - 10) / span
    coords = " ".join(f"{5 + (lng - min(lngs)) * scale:.1f},{5 + (max(lats) - lat) * scale:.1f}"
                      for lat, lng in zip(lats, lngs))
    return format_html('<svg class="fa-shape" width="{0}" height="{0}" viewBox="0 0 {0} {0}" role="img" '
                       'aria-label="{1} corners"><polygon points="{2}" fill="#2874a633" stroke="#1b4f72" '
                       'stroke-width="2"/></svg><br><span class="fa-muted">{1} corners</span>',
                       size, len(points), coords)


class ObjectPermissionsAdmin(GuardedModelAdminMixin):
    """django-guardian's "Object permissions" pages on a ScopedModelAdmin, for superusers only.

    Staff grant each other rights through dated grants (which check that the granter holds what it gives);
    object permissions are the superuser's tool for one-off rights on a single network or cluster.
    """

    def _superuser_only(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied("Only superusers manage object permissions.")

    def obj_perms_manage_view(self, request, object_pk):
        self._superuser_only(request)
        return super().obj_perms_manage_view(request, object_pk)

    def obj_perms_manage_user_view(self, request, object_pk, user_id):
        self._superuser_only(request)
        return super().obj_perms_manage_user_view(request, object_pk, user_id)

    def obj_perms_manage_group_view(self, request, object_pk, group_id):
        self._superuser_only(request)
        return super().obj_perms_manage_group_view(request, object_pk, group_id)


class ShapedModelForm(forms.ModelForm):
    """Admin form of an apps.core.geo.ShapedModel: the shape is validated and its bounding box refreshed."""

    def clean_shape(self):
        shape = self.cleaned_data["shape"]
        try:
            polygon_from_points(shape)
        except ShapeError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.instance.set_shape(shape)
        return shape


class ShapedAdminMixin:
    """Admin (or inline) of a ShapedModel: validated shape, drawn, bounding box shown but computed."""

    form = ShapedModelForm
    readonly_fields = ["drawing", "min_latitude", "max_latitude", "min_longitude", "max_longitude"]

    @admin.display(description="Drawing")
    def drawing(self, obj):
        return shape_svg(obj.shape if obj is not None else None)


class _DryRun(Exception):
    pass


class ServiceCheckedForm(forms.ModelForm):
    """The form of an admin that saves through a service (ScopedModelAdmin.save_through_service): validation runs
    the service in a savepoint rolled back at once, so its refusals become the form's errors."""

    admin_save = None  # (model admin, request, change), set by ScopedModelAdmin.get_form

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        model_admin, request, change = self.admin_save
        try:
            with transaction.atomic():
                model_admin.save_through_service(request, self.instance, self, change)
                raise _DryRun
        except _DryRun:
            pass
        except IntegrityError as exc:  # a unique key the service leaves to the database (a taken code)
            self.add_error(None, constraint_error(exc).text)
        except ApiError as exc:
            for name, problems in (exc.fields or {None: [exc.text]}).items():
                field = next((f for f in (name, (name or "").removesuffix("_id")) if f in self.fields), None)
                self.add_error(field, problems if field else [f"{name}: {p}" if name else p for p in problems])


class RuleCheckedForm(forms.ModelForm):
    """An admin form that runs a service's rule check (`check_rules`, raising an ApiError) before saving, so the
    admin cannot save what the API refuses (an overlapping period, a clashing pricing window...)."""

    check_rules = None  # staticmethod(service_function)

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                self.check_rules(self.instance)
            except ApiError as exc:
                self.add_error(None, exc.text)


def route_map_config(points, *, center, live: dict | None = None, battery: bool = False) -> dict:
    """What templates/admin/fleetadmin/route_map.html draws: `points` ((latitude, longitude, battery, time) oldest
    first), or with `live` ({"vehicle": id, "refresh": seconds}) a vehicle's last day read from the API."""

    return {"points": [[lat, lng, level, moment.isoformat()] for lat, lng, level, moment in points],
            "center": [float(c) for c in center], "tiles": settings.ADMIN_MAP_TILE_URL,
            "attribution": settings.ADMIN_MAP_TILE_ATTRIBUTION, "battery": battery,
            "live": {**live, "api": "/api/dashboard/v1"} if live else None}
