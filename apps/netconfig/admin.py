from django.contrib import admin

from apps.core.admin import ScopedModelAdmin

from . import services

from .models import NetworkAccessRule, NetworkSettings, VehicleModelGuarantee, VehicleModelSettings, VehicleSettingsPush


@admin.register(NetworkSettings)
class NetworkSettingsAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["network", "min_battery_to_rent", "max_simultaneous_rented_vehicle", "trip_on_hold", "updated_at"]
    list_select_related = ["network"]
    rule_fields = ("network",)

    def save_through_service(self, request, obj, form, change):
        # The rules between settings (ordered speeds...) and the amounts rounded to the network's currency.
        names = [field.name for field in obj._meta.concrete_fields if field.name not in ("id", "network")]
        changed = self.changed_values(form, names) if change else {
            name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
        return services.settings_update(network=obj.network, **changed)


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
    rule_fields = ("network", "model")

    def save_through_service(self, request, obj, form, change):
        return services.model_settings_set(network=obj.network, model=obj.model, auto_light=obj.auto_light,
                                           speed_mode=obj.speed_mode)


@admin.register(VehicleModelGuarantee)
class VehicleModelGuaranteeAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["network", "model", "guarantee", "pre_auth"]
    list_filter = ["network", "model"]
    list_select_related = ["network", "model"]
    rule_fields = ("network", "model")

    def save_through_service(self, request, obj, form, change):
        # Amounts rounded to the network's currency, one row per network and model.
        return services.model_guarantee_set(network=obj.network, model=obj.model, guarantee=obj.guarantee,
                                            pre_auth=obj.pre_auth)


@admin.register(VehicleSettingsPush)
class VehicleSettingsPushAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["id", "network", "requested_by", "created_at", "completed_at", "vehicle_count"]
    list_select_related = ["network", "requested_by"]
    readonly_fields = ["network", "requested_by", "vehicle_count", "completed_at"]
