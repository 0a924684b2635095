from django.contrib import admin

from apps.core.admin import ObjectPermissionsAdmin, RuleCheckedForm, ScopedModelAdmin

from . import services
from .models import Network, OutOfOrder, ThirdParty


@admin.register(Network)
class NetworkAdmin(ObjectPermissionsAdmin, ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["name", "currency", "timezone", "country", "app_label", "third_party", "created_at", "closed_at"]
    list_filter = ["currency", "app_label", "closed_at"]
    search_fields = ["name"]
    list_select_related = ["country", "app_label", "third_party", "currency"]
    autocomplete_fields = ["third_party"]
    actions = ["close_networks"]

    @admin.action(description="Close the selected networks (definitive)")
    def close_networks(self, request, queryset):
        open_networks = list(queryset.filter(closed_at__isnull=True))
        for network in open_networks:
            services.network_close(network=network)
        self.message_user(request, f"{len(open_networks)} network(s) closed.")


@admin.register(ThirdParty)
class ThirdPartyAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["name", "city", "country", "erp_id", "created_at"]
    search_fields = ["name", "city"]
    list_filter = ["country"]


class OutOfOrderForm(RuleCheckedForm):
    check_rules = staticmethod(services.out_of_order_validate)


@admin.register(OutOfOrder)
class OutOfOrderAdmin(ScopedModelAdmin):
    form = OutOfOrderForm
    permission_key = "networks.manage"
    list_display = ["network", "type", "reason", "start_date", "end_date", "created_by"]
    list_filter = ["type", "network"]
    list_select_related = ["network", "created_by"]
    readonly_fields = ["created_by"]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
