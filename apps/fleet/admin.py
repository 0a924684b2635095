from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm

from apps.core.admin import ObjectPermissionsAdmin, ReadOnlyInline, ScopedInline, ScopedModelAdmin, confirmed_action
from apps.networks.admin import NetworkAdmin
from apps.networks.models import Network

from .models import (
    Cluster,
    ClusterDescription,
    ClusterPicture,
    IotCommand,
    ExternalLock,
    FleetAlert,
    Maintenance,
    MaintenanceType,
    Spot,
    Station,
    StationOutage,
    Vehicle,
    VehicleDecommission,
    VehicleModel,
)
from .commands import vehicle_command_send
from .services import fleet_alerts_resolve, maintenances_close, vehicle_change_network, vehicle_decommission


class ClusterInline(ReadOnlyInline):
    model = Cluster
    fields = ["name", "address", "commissioned_at", "decommissioned_at"]
    show_change_link = True
    ordering = ["name", "id"]


# A network's page lists its clusters: fleet adds them, as networks knows nothing of the fleet built on it.
NetworkAdmin.inlines = [*NetworkAdmin.inlines, ClusterInline]


class StationInline(ScopedInline, admin.TabularInline):
    model = Station
    extra = 0
    fields = ["name", "serial_number", "decommissioned_at"]


class DescriptionInline(ScopedInline, admin.TabularInline):
    model = ClusterDescription
    extra = 0


class PictureInline(ScopedInline, admin.TabularInline):
    model = ClusterPicture
    extra = 0
    fields = ["key", "content_type", "width", "height", "created_at"]
    readonly_fields = fields  # uploaded through the API, which validates the image

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cluster)
class ClusterAdmin(ObjectPermissionsAdmin, ScopedModelAdmin):
    permission_key = "stations"
    list_display = ["name", "network", "address", "badge_reader", "commissioned_at", "decommissioned_at"]
    list_filter = ["network", "badge_reader", "decommissioned_at"]
    search_fields = ["name", "address"]
    list_select_related = ["network"]
    inlines = [StationInline, DescriptionInline, PictureInline]


class SpotInline(ScopedInline, admin.TabularInline):
    model = Spot
    extra = 0


class OutageInline(ScopedInline, admin.TabularInline):
    model = StationOutage
    extra = 0


@admin.register(Station)
class StationAdmin(ScopedModelAdmin):
    permission_key = "stations"
    list_display = ["name", "cluster", "network_name", "serial_number", "decommissioned_at"]
    list_filter = ["cluster__network", "decommissioned_at"]
    search_fields = ["name", "serial_number", "cluster__name"]
    list_select_related = ["cluster__network"]
    inlines = [SpotInline, OutageInline]

    @admin.display(description="Network", ordering="cluster__network__name")
    def network_name(self, station):
        return station.cluster.network.name


@admin.register(VehicleModel)
class VehicleModelAdmin(ScopedModelAdmin):
    permission_key = "vehicles.manage"
    list_display = ["name", "created_at"]
    search_fields = ["name"]


class ExternalLockInline(ScopedInline, admin.TabularInline):
    model = ExternalLock
    extra = 0


class DecommissionInline(ScopedInline, admin.StackedInline):
    model = VehicleDecommission
    extra = 0
    readonly_fields = ["reason", "comment", "amount", "currency", "decommissioned_by", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False  # decommissioning goes through the API's rules (no running trip, undocking)


class VehicleActionForm(ActionForm):
    """The change list's action bar: where to move the selected vehicles, or why they leave the fleet."""

    # A plain select: its options (the user's networks) are set per request in changelist_view, and the action
    # checks the chosen one against the user's write scope itself.
    network = forms.CharField(required=False, label="To network", widget=forms.Select(choices=[]))
    reason = forms.ChoiceField(choices=[("", "---------"), *VehicleDecommission.Reason.choices], required=False,
                               label="Decommissioning reason")
    stock = forms.CharField(required=False, label="To stock", widget=forms.Select(choices=[]))
    max_speed = forms.CharField(required=False, label="Maximum speed (km/h)")  # checked by the action, as the API


def _command_action(command: str, description: str, *, confirm: bool = True):
    """A vehicles' action sending `command` to each selected vehicle (apps.fleet.commands), after confirmation unless
    it is harmless (ringing)."""

    def action(modeladmin, request, queryset):
        modeladmin._command(request, queryset, command)

    action.__name__ = command
    return admin.action(description=description)(confirmed_action(action) if confirm else action)


@admin.register(Vehicle)
class VehicleAdmin(ScopedModelAdmin):
    permission_key = "vehicles.manage"
    list_display = ["serial_number", "model", "network", "spot", "battery_level", "decommissioned_at"]
    list_filter = ["network", "model", "decommissioned_at"]
    search_fields = ["=serial_number"]
    list_select_related = ["model", "network", "spot__station"]
    raw_id_fields = ["spot"]
    inlines = [ExternalLockInline, DecommissionInline]
    # Moving network, docking and decommissioning go through the services (API: changeVehicleNetwork,
    # decommissionVehicle), which check running trips and carry open maintenances and alerts along.
    rule_fields = ("network", "spot", "decommissioned_at")
    action_form = VehicleActionForm
    actions = ["move_to_network", "move_to_stock", "decommission", "lock", "unlock", "ring", "reboot",
               "set_max_speed"]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        action_form = getattr(response, "context_data", {}).get("action_form")
        if action_form is not None:  # only networks the user may move vehicles to (none of another tenant's)
            networks = self.restricted(request, Network.objects.all(), write=True).values_list("pk", "name")
            action_form.fields["network"].widget.choices = [("", "---------"), *networks]
            action_form.fields["stock"].widget.choices = [("", "---------"), *(
                (stock.pk, f"{stock.name} ({stock.network})") for stock in self._stocks(request))]
        return response

    def describe_action_input(self, request, name, value):
        if name in ("network", "stock") and not value.isdigit():
            return value
        if name == "network":
            return str(self.restricted(request, Network.objects.filter(pk=value or None), write=True).first() or value)
        if name == "stock":
            stock = self._stocks(request).filter(pk=value or None).first()
            return f"{stock.name} ({stock.network})" if stock else value
        return super().describe_action_input(request, name, value)

    def _stocks(self, request):
        # at call time: stocks imports fleet at load time (a cycle).
        from apps.stocks.models import Stock

        return Stock.objects.restrict(request.user, "stocks.manage", write=True).select_related("network")

    def _command(self, request, queryset, command: str, payload: dict | None = None) -> None:
        self.each_through_service(request, queryset, lambda v: vehicle_command_send(
            vehicle=v, command=command, payload=payload, requested_by=request.user), f"sent {command} to")

    lock = _command_action("lock", "Lock the selected vehicles (remote command)")
    unlock = _command_action("unlock", "Unlock the selected vehicles (remote command)")
    ring = _command_action("ring", "Ring the selected vehicles (remote command)", confirm=False)
    reboot = _command_action("reboot", "Reboot the selected vehicles' IoT boxes (remote command)")

    @admin.action(description="Set the selected vehicles' maximum speed (remote command)")
    @confirmed_action
    def set_max_speed(self, request, queryset):
        values = self.action_input(request, "setVehicleMaxSpeed", "max_speed")  # the API's bounds
        if values is not None:
            self._command(request, queryset, "set_max_speed", {"max_speed": values["max_speed"]})

    @admin.action(description="Put the selected vehicles in the chosen stock")
    @confirmed_action
    def move_to_stock(self, request, queryset):
        # at call time: stocks imports fleet at load time (a cycle).
        from apps.stocks.services import vehicle_put_in_stock

        stock = self._stocks(request).filter(pk=request.POST.get("stock") or None).first()
        if stock is None:
            self.message_user(request, "Choose a stock you may manage.", level=messages.ERROR)
            return
        self.each_through_service(request, queryset, lambda v: vehicle_put_in_stock(vehicle=v, stock=stock), "stored")

    @admin.action(description="Move the selected vehicles to the chosen network")
    @confirmed_action
    def move_to_network(self, request, queryset):
        allowed = self.restricted(request, Network.objects.all(), write=True)
        network = allowed.filter(pk=request.POST.get("network") or None).first()
        if network is None:
            self.message_user(request, "Choose a network you may manage.", level=messages.ERROR)
            return
        self.each_through_service(request, queryset, lambda v: vehicle_change_network(vehicle=v, network=network),
                                  "moved")

    @admin.action(description="Decommission the selected vehicles (with the chosen reason)")
    @confirmed_action
    def decommission(self, request, queryset):
        reason = request.POST.get("reason")
        if reason not in VehicleDecommission.Reason.values:
            self.message_user(request, "Choose a decommissioning reason.", level=messages.ERROR)
            return
        self.each_through_service(
            request, queryset, lambda v: vehicle_decommission(vehicle=v, reason=reason, actor=request.user),
            "decommissioned")


@admin.register(FleetAlert)
class FleetAlertAdmin(ScopedModelAdmin):
    permission_key = "vehicles.alerts"
    list_display = ["id", "alert_type", "severity", "network", "vehicle", "cluster", "created_at", "resolved_at"]
    list_filter = ["severity", "alert_type", "network", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["=id", "vehicle__serial_number", "cluster__name", "user__email"]
    list_select_related = ["network", "vehicle", "cluster"]
    raw_id_fields = ["vehicle", "cluster", "user", "resolved_by"]
    actions = ["resolve"]

    @admin.action(description="Resolve the selected alerts")
    @confirmed_action
    def resolve(self, request, queryset):
        count = fleet_alerts_resolve(alerts=list(queryset), actor=request.user)
        self.message_user(request, f"{count} alert(s) resolved.")


@admin.register(MaintenanceType)
class MaintenanceTypeAdmin(ScopedModelAdmin):
    permission_key = "maintenances"
    list_display = ["key", "target_type", "severity", "deleted_at"]
    list_filter = ["target_type", "severity", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["key"]


@admin.register(Maintenance)
class MaintenanceAdmin(ScopedModelAdmin):
    permission_key = "maintenances"
    list_display = ["id", "type", "network", "vehicle", "spot", "station", "started_at", "ended_at"]
    list_filter = ["network", "type", ("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["=id", "vehicle__serial_number", "comment"]
    list_select_related = ["type", "network", "vehicle", "spot__station", "station"]
    raw_id_fields = ["vehicle", "spot", "station", "opened_by"]
    rule_fields = ("network", "type", "vehicle", "spot", "station", "started_at", "ended_at", "opened_by")
    actions = ["close"]

    def has_add_permission(self, request):
        # Opened through the API (maintenance_open: a type made for the target, not retired), closed here.
        return False

    @admin.action(description="Close the selected maintenances")
    @confirmed_action
    def close(self, request, queryset):
        self.message_user(request, f"{maintenances_close(maintenances=list(queryset))} maintenance(s) closed.")


@admin.register(IotCommand)
class IotCommandAdmin(ScopedModelAdmin):
    """Commands sent to vehicles and where each stands (apps.fleet.commands); read only: they are sent by the vehicles'
    actions and the API."""

    permission_key = "vehicles.manage"
    list_display = ["sent_at", "vehicle", "network", "command", "status", "source", "attempts", "answered_at", "late"]
    list_filter = ["status", "command", "source", "network"]
    list_select_related = ["vehicle", "network"]
    search_fields = ["vehicle__serial_number"]
    readonly_fields = ["vehicle", "network", "command", "payload", "idempotency_key", "sent_at", "status", "source",
                       "requested_by", "attempts", "max_attempts", "timeout", "deadline", "answered_at", "late", "error"]

    def has_add_permission(self, request):
        return False
