from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from apps.core.admin import ObjectPermissionsAdmin, RuleCheckedForm, ScopedModelAdmin

from . import services
from .models import Network, OutOfOrder, ThirdParty

# What a network's page links to: (label, admin change list, filter by this network)
NETWORK_PAGES = [
    ("Clusters", "fleet_cluster", "network__id__exact"),
    ("Vehicles", "fleet_vehicle", "network__id__exact"),
    ("Trips", "trips_trip", "network__id__exact"),
    ("Open alerts", "fleet_fleetalert", "network__id__exact"),
    ("Maintenances", "fleet_maintenance", "network__id__exact"),
    ("Settings", "netconfig_networksettings", "network__id__exact"),
    ("Border", "geofencing_networkborder", "network__id__exact"),
    ("Speed zones", "geofencing_speedzone", "network__id__exact"),
    ("Parkings", "geofencing_virtualparking", "network__id__exact"),
    ("Pricing rules", "pricing_pricingrule", "network__id__exact"),
    ("Out of orders", "networks_outoforder", "network__id__exact"),
    ("Transactions", "payments_transaction", "network__id__exact"),
]


@admin.register(Network)
class NetworkAdmin(ObjectPermissionsAdmin, ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["name", "currency", "timezone", "country", "app_label", "third_party", "created_at", "closed_at"]
    # Only the currencies networks use (not the ~180 of the reference table).
    list_filter = [("currency", admin.RelatedOnlyFieldListFilter), "app_label", "closed_at"]
    search_fields = ["name"]
    list_select_related = ["country", "app_label", "third_party", "currency"]
    autocomplete_fields = ["third_party"]
    readonly_fields = ["everything_about_it"]
    inlines = []  # the apps built on networks add theirs (apps/fleet/admin.py: its clusters)
    actions = ["close_networks"]

    @admin.display(description="Its pages")
    def everything_about_it(self, network):
        if network is None or network.pk is None:
            return "-"
        links = format_html_join(" · ", '<a href="{}?{}={}">{}</a>', (
            (reverse(f"admin:{name}_changelist"), lookup, network.pk, label)
            for label, name, lookup in NETWORK_PAGES))
        tools = format_html('<a href="{}?network={}">Dashboard</a> · <a href="{}?network={}">Map</a> · '
                            '<a href="{}?network={}">Geofencing</a> · <a href="{}?network={}">Charts</a>',
                            reverse("admin:index"), network.pk, reverse("admin:fleet_map"), network.pk,
                            reverse("admin:geofencing"), network.pk, reverse("admin:charts"), network.pk)
        return format_html("{}<br>{}", tools, links)

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
