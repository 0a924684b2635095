"""The support team's rider page: the user admin (riders and staff, apps.accounts' User) with what riders do, and
the rider data pages. Every change goes through apps.riders.services, as the API's do."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from apps.accounts.models import User
from apps.core.admin import ReadOnlyAdmin, ScopedModelAdmin, confirmed_action, when
from apps.core.permissions import resolve_scope
from apps.networks.models import Network

from . import services
from .models import Badge, Device, NetworkMembership, RiderErasure, RiderMessage, UserBlock
from .selectors import shared_devices


class RiderActionForm(ActionForm):
    reason = forms.CharField(required=False, max_length=1000, label="Reason (block, erase)")


class BlockedFilter(admin.SimpleListFilter):
    title = "blocked"
    parameter_name = "blocked"

    def lookups(self, request, model_admin):
        return [("yes", "Blocked"), ("no", "Not blocked")]

    def queryset(self, request, queryset):
        open_block = Exists(UserBlock.objects.filter(rider=OuterRef("pk"), unblocked_at__isnull=True))
        if self.value() == "yes":
            return queryset.filter(open_block)
        if self.value() == "no":
            return queryset.exclude(open_block)
        return queryset


class NetworkFilter(admin.SimpleListFilter):
    """Riders of a network; only the networks the staff member sees are offered."""

    title = "network"
    parameter_name = "network"

    def lookups(self, request, model_admin):
        networks = model_admin.restricted(request, Network.objects.all(), write=False).order_by("name")
        return [(n.pk, n.name) for n in networks]

    def queryset(self, request, queryset):
        # A typed value is text; "Show counts" passes each lookup's own value (an id) here.
        value = str(self.value() or "")
        if value.isascii() and value.isdigit() and int(value) < 2**63:
            return queryset.filter(Exists(NetworkMembership.objects.filter(rider=OuterRef("pk"),
                                                                          network_id=int(value))))
        return queryset


class RiderAdminMixin:
    """What the user admin shows and does for riders: last trips, reports and messages, devices shared with other
    accounts, block / unblock / erase actions through the services."""

    rider_fields = ("blocked_since", "memberships", "shared_devices", "last_trips", "last_reports", "last_messages")
    action_form = RiderActionForm

    def get_object(self, request, object_id, from_field=None):
        rider = super().get_object(request, object_id, from_field)
        if rider is not None:
            rider._viewer = request.user  # the history below shows only what this staff member may see
        return rider

    @staticmethod
    def _visible(rider, queryset, key: str):
        return queryset.restrict(getattr(rider, "_viewer", None), key)

    @admin.display(description="Blocked")
    def blocked_since(self, rider):
        block = services.open_block(rider=rider)
        return f"since {when(block.blocked_at)} by {block.blocked_by}: {block.reason}" if block else "no"

    @admin.display(description="Networks")
    def memberships(self, rider):
        rows = self._visible(rider, NetworkMembership.objects.filter(rider=rider), "users.list")
        rows = rows.select_related("network").order_by("network__name")
        return format_html_join(", ", "{} ({} trips, last {})",
                                ((m.network.name, m.trip_count, when(m.last_activity_at, date_only=True))
                                 for m in rows)) or "none"

    @admin.display(description="Devices shared with other accounts")
    def shared_devices(self, rider):
        shared = shared_devices(rider=rider)
        if not shared:
            return "none"
        return format_html_join(", ", "<strong>{}</strong> ({} other account(s))",
                                ((d["device_id"], d["other_accounts"]) for d in shared))

    def _links(self, rows, url_name, label):
        if not rows:
            return "none"
        return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a>',
                                ((reverse(url_name, args=[row.pk]), label(row)) for row in rows))

    @admin.display(description="Last trips")
    def last_trips(self, rider):
        trips = list(self._visible(rider, rider.trips.all(), "trips").select_related("network")
                     .order_by("-started_at")[:10])
        return self._links(trips, "admin:trips_trip_change",
                           lambda t: f"{when(t.started_at)} {t.network.name} {t.state}")

    @admin.display(description="Last reports")
    def last_reports(self, rider):
        reports = self._visible(rider, rider.reports.all(), "users.support")
        return self._links(list(reports.order_by("-id")[:10]), "admin:support_report_change",
                           lambda r: f"#{r.pk} {r.subject} ({'resolved' if r.resolved_at else 'open'})")

    @admin.display(description="Last messages sent")
    def last_messages(self, rider):
        return self._links(list(rider.messages_received.order_by("-created_at")[:10]),
                           "admin:riders_ridermessage_change",
                           lambda m: f"{when(m.created_at, date_only=True)} {m.channel} {m.status}")

    def _block_scope(self, request, queryset):
        """The selected riders the user may block or unblock; says how many it may not, and why."""
        allowed = queryset.restrict(request.user, "users.block", write=True)
        outside = queryset.count() - allowed.count()
        if outside:
            self.message_user(request, f"{outside} of the selected riders are outside the networks where you may "
                                       "block riders: left as they are.", level=messages.WARNING)
        return allowed

    # Offered only to who may use them (Django asks has_<name>_permission).
    def has_block_permission(self, request):
        return not resolve_scope(request.user, "users.block", write=True).empty

    def has_erase_permission(self, request):
        return request.user.is_superuser

    @admin.action(description="Block the selected riders (with the reason typed)", permissions=["block"])
    @confirmed_action
    def block(self, request, queryset):
        typed = self.action_input(request, "blockUser", "reason")  # the API's bounds on the reason
        if typed is not None:
            self.each_through_service(request, self._block_scope(request, queryset), lambda rider: (
                services.user_block(rider=rider, reason=typed["reason"], actor=request.user)), "blocked")

    @admin.action(description="Unblock the selected riders", permissions=["block"])
    @confirmed_action
    def unblock(self, request, queryset):
        self.each_through_service(request, self._block_scope(request, queryset),
                                  lambda rider: services.user_unblock(rider=rider, actor=request.user), "unblocked")

    @admin.action(description="Erase the selected riders on their request (GDPR; superusers only)",
                  permissions=["erase"])
    @confirmed_action
    def erase(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()[:200]
        self.each_through_service(request, queryset,
                                  lambda rider: services.rider_erase(rider=rider, actor=request.user, reason=reason),
                                  "erased")


class RiderDataAdmin(ReadOnlyAdmin):
    """Rows about one rider: read here, changed by the services (the API and the rider page's actions)."""

    permission_key = "users.support"
    list_select_related = ["rider"]
    search_fields = ["rider__email"]


@admin.register(UserBlock)
class UserBlockAdmin(RiderDataAdmin):
    permission_key = "users.block"
    list_display = ["rider", "blocked_at", "blocked_by", "unblocked_at", "reason"]
    list_filter = [("unblocked_at", admin.EmptyFieldListFilter)]


@admin.register(Device)
class DeviceAdmin(RiderDataAdmin):
    list_display = ["device_id", "rider", "platform", "model", "app_version", "last_seen_at"]
    list_filter = ["platform"]
    search_fields = ["device_id", "rider__email"]


@admin.register(Badge)
class BadgeAdmin(RiderDataAdmin):
    permission_key = "users.badges"
    list_display = ["number", "rider", "label", "created_at", "disabled_at"]
    search_fields = ["number", "rider__email"]


@admin.register(RiderMessage)
class RiderMessageAdmin(RiderDataAdmin):
    list_display = ["created_at", "rider", "channel", "status", "sent_by"]
    list_filter = ["channel", "status"]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(RiderDataAdmin):
    permission_key = "users.list"
    list_display = ["rider", "network", "trip_count", "first_activity_at", "last_activity_at"]
    list_filter = ["network"]
    list_select_related = ["rider", "network"]


@admin.register(RiderErasure)
class RiderErasureAdmin(ReadOnlyAdmin):
    """The erasure log: superusers only (it is global, like the access log)."""

    permission_key = "users.list"
    list_display = ["rider_id", "erased_at", "erased_by", "reason"]


@admin.register(User)
class UserAdmin(RiderAdminMixin, ScopedModelAdmin, DjangoUserAdmin):
    """Riders and staff. Riders are seen through the networks they interact with (apps.riders); staff accounts,
    which belong to no network, by global `users.list` holders."""

    permission_key = "users.list"
    ordering = ["-id"]
    list_display = ["email", "firstname", "lastname", "phone_number", "app_label", "is_staff", "is_active",
                    "register_at", "last_activity"]
    list_filter = [BlockedFilter, NetworkFilter, "app_label", "is_staff", "is_active"]
    list_select_related = ["app_label"]
    search_fields = ["=id", "email", "firstname", "lastname", "phone_number"]
    actions = ["block", "unblock", "erase"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identity", {"fields": ("firstname", "lastname", "phone_number", "app_label")}),
        ("Support", {"fields": RiderAdminMixin.rider_fields}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("register_at", "last_login", "last_activity")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    # Rights are given through grants (which check the granter holds them), never by editing these.
    superuser_only_fields = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        # Dates the system records are shown, never typed.
        readonly = (*super().get_readonly_fields(request, obj), *self.rider_fields, "register_at", "last_login",
                    "last_activity")
        if request.user.is_superuser:
            return readonly
        return (*readonly, *self.superuser_only_fields)
