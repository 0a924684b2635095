from django.contrib import admin

from apps.core.admin import ScopedModelAdmin, ShapedAdminMixin

from .models import BorderSettings, NetworkBorder, NoParkingZone, SpeedZone, VirtualParking


@admin.register(VirtualParking)
class VirtualParkingAdmin(ShapedAdminMixin, ScopedModelAdmin):
    permission_key = "virtual.parking"
    list_display = ["id", "network", "cluster", "capacity", "created_at"]
    list_filter = ["network"]
    list_select_related = ["network", "cluster"]
    raw_id_fields = ["cluster"]


@admin.register(NetworkBorder)
class NetworkBorderAdmin(ShapedAdminMixin, ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["network", "updated_at"]
    list_select_related = ["network"]


@admin.register(BorderSettings)
class BorderSettingsAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["network", "trigger_alert", "notify_user", "reduce_vehicle_speed", "play_vehicle_sound",
                    "lock_vehicle"]
    list_select_related = ["network"]


@admin.register(SpeedZone)
class SpeedZoneAdmin(ShapedAdminMixin, ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["id", "network", "max_speed", "created_at", "deleted_at"]
    list_filter = ["network", "max_speed"]
    list_select_related = ["network"]


@admin.register(NoParkingZone)
class NoParkingZoneAdmin(ShapedAdminMixin, ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["id", "name", "network", "created_at", "deleted_at"]
    list_filter = ["network"]
    list_select_related = ["network"]
