from django.contrib import admin
from django.utils import timezone

from apps.core.admin import ScopedModelAdmin, ShownOnceTokenMixin, confirmed_action, route_map_config
from apps.fleet.admin import VehicleAdmin
from apps.fleet.models import IotCommand, Vehicle

from .models import AlertThresholds, TelemetryDevice, TelemetryMessage, TelemetryProvider, VehicleState

LIVE_REFRESH_SECONDS = 15


@admin.register(TelemetryProvider)
class TelemetryProviderAdmin(ShownOnceTokenMixin, ScopedModelAdmin):
    """The IoT gateways and vendors that report vehicles' messages. A global `vehicles.manage` right is needed (a
    provider serves any network); the token is shown once, when the row is created; only its hash is kept."""

    permission_key = "vehicles.manage"
    token_holder = "The provider"
    list_display = ["name", "created_at", "revoked_at", "last_used_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    readonly_fields = ["revoked_at", "last_used_at"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected providers' tokens")
    @confirmed_action
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} token(s) revoked.")


@admin.register(TelemetryDevice)
class TelemetryDeviceAdmin(ScopedModelAdmin):
    """Which provider reports which vehicle, under which identifier: a provider reaches only its own devices."""

    permission_key = "vehicles.manage"
    list_display = ["device_id", "vehicle", "provider", "created_at"]
    list_filter = ["provider"]
    search_fields = ["=device_id", "=vehicle__serial_number"]
    list_select_related = ["vehicle", "provider"]
    raw_id_fields = ["vehicle"]


@admin.register(AlertThresholds)
class AlertThresholdsAdmin(ScopedModelAdmin):
    """A network's thresholds of the telemetry's alert rules (apps.telemetry.rules)."""

    permission_key = "networks.manage"
    list_display = ["network", "low_battery", "offline_after", "theft_distance", "no_parking_grace",
                    "speeding_tolerance"]
    list_select_related = ["network"]


admin.site.unregister(Vehicle)


@admin.register(Vehicle)
class VehicleWithTelemetryAdmin(VehicleAdmin):
    """The fleet's vehicle page with what the vehicle reports: its live state, its last day on a map with its battery,
    its last messages and commands (the fleet app knows nothing of the telemetry; the telemetry extends its page)."""

    change_form_template = "admin/telemetry/vehicle_change_form.html"
    # What a fitted vehicle reports is its device's to say: a hand-typed position would be overwritten by the next
    # message, and a wrong one would raise a theft alert meanwhile.
    reported_fields = ("battery_level", "latitude", "longitude", "position_at")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and TelemetryDevice.objects.filter(vehicle=obj).exists():
            fields += [name for name in self.reported_fields if name not in fields]
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        vehicle = self.get_object(request, object_id)  # in the user's scope, else Django's "not found"
        if vehicle is not None:
            # History stays with the network it was made in: what the user's grant covers of it.
            visible = {model: model.objects.restrict(request.user, self.permission_key).filter(vehicle=vehicle)
                       for model in (IotCommand, TelemetryMessage)}
            center = (vehicle.latitude or 0, vehicle.longitude or 0)
            extra_context = {
                **(extra_context or {}), "vehicle_state": VehicleState.objects.filter(vehicle=vehicle).first(),
                "telemetry_device": TelemetryDevice.objects.filter(vehicle=vehicle).first(),
                "last_messages": list(visible[TelemetryMessage].order_by("-recorded_at", "-id")[:20]),
                "last_commands": list(visible[IotCommand][:20]),
                "route_config": route_map_config([], center=center, battery=True,
                                                 live={"vehicle": vehicle.pk, "refresh": LIVE_REFRESH_SECONDS})}
        return super().change_view(request, object_id, form_url, extra_context)
