from django.contrib import admin

from apps.core.admin import ScopedModelAdmin

from .models import NetworkAccessRule, NetworkSettings, VehicleModelGuarantee, VehicleModelSettings, VehicleSettingsPush


@admin.register(NetworkSettings)
class NetworkSettingsAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["network", "min_battery_to_rent", "max_simultaneous_rented_vehicle", "trip_on_hold", "updated_at"]
    list_select_related = ["network"]


@admin.register(NetworkAccessRule)
class NetworkAccessRuleAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["network", "email_pattern", "organization", "app_label"]
    list_filter = ["network"]
    list_select_related = ["network", "organization", "app_label"]


@admin.register(VehicleModelSettings)
class VehicleModelSettingsAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["network", "model", "auto_light", "speed_mode"]
    list_filter = ["network", "model"]
    list_select_related = ["network", "model"]


@admin.register(VehicleModelGuarantee)
class VehicleModelGuaranteeAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["network", "model", "guarantee", "pre_auth"]
    list_filter = ["network", "model"]
    list_select_related = ["network", "model"]


@admin.register(VehicleSettingsPush)
class VehicleSettingsPushAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["id", "network", "requested_by", "created_at", "completed_at", "vehicle_count"]
    list_select_related = ["network", "requested_by"]
    readonly_fields = ["network", "requested_by", "vehicle_count", "completed_at"]
