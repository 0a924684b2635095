"""fleetadmin's admin site: branded, with the operators' own pages beside the change lists.

- the index is the dashboard (apps.stats.dashboard) of a network picked among those the user may see;
- charts draw the dashboard API's statistics (fetched with the staff member's session: same numbers, same rights);
- the fleet map and the geofencing editor draw a network's layers (apps.geofencing.selectors.map_layers); the
  editor saves through the API's updateNetworkBorderShape, with its validation;
- exports lists the user's background exports (apps.core.admin_exports).
"""
from __future__ import annotations

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from apps.core.permissions import resolve_scope

API_ROOT = "/api/dashboard/v1"
MAP_REFRESH_SECONDS = 15


def _picked(request, key: str):
    """The networks `request.user` sees under `key`, and the one picked with ?network= (else the first)."""
    from apps.networks.models import Network

    networks = list(Network.objects.restrict(request.user, key).order_by("name", "id"))
    chosen = next((n for n in networks if str(n.pk) == request.GET.get("network")), networks[0] if networks else None)
    return networks, chosen


class FleetAdminSite(admin.AdminSite):
    site_header = "fleetadmin"
    site_title = "fleetadmin"
    index_title = "Dashboard"
    index_template = "admin/fleetadmin/dashboard.html"

    def get_urls(self):
        from apps.core.admin_exports import download_view, exports_view

        own = [
            path("charts/", self.admin_view(self.charts_view), name="charts"),
            path("map/", self.admin_view(self.map_view), name="fleet_map"),
            path("map/live/", self.admin_view(self.map_live_view), name="fleet_map_live"),
            path("geofencing/", self.admin_view(self.geofencing_view), name="geofencing"),
            path("exports/", self.admin_view(exports_view(self)), name="exports"),
            path("exports/<int:export_id>/download/", self.admin_view(download_view), name="export_download"),
        ]
        return own + super().get_urls()

    def index(self, request, extra_context=None):
        from apps.stats.dashboard import dashboard_for

        board = dashboard_for(request.user, request.GET.get("network"))
        return super().index(request, {"board": board, **(extra_context or {})})

    def _page(self, request, template: str, title: str, context: dict):
        return TemplateResponse(request, template, {**self.each_context(request), "title": title, **context})

    def charts_view(self, request):
        networks, network = _picked(request, "trips")
        context = {"networks": networks, "network": network}
        if network is not None:
            today = timezone.now().astimezone(zoneinfo.ZoneInfo(network.timezone)).date()
            start, end = _date(request.GET.get("start_date"), today - timedelta(days=29)), \
                _date(request.GET.get("end_date"), today)
            tz = request.GET.get("timezone")
            tz = tz if tz in zoneinfo.available_timezones() else network.timezone
            income = not resolve_scope(request.user, "transactions").empty
            from apps.stats.selectors import grouping_for

            context.update(start=start, end=end, tz=tz, zones=sorted(zoneinfo.available_timezones()),
                           grouping=grouping_for(start=start, end=end),
                           config={"api": API_ROOT, "network": network.pk, "start": start.isoformat(),
                                   "end": end.isoformat(), "timezone": tz, "income": income,
                                   "currency": network.currency_id})
        return self._page(request, "admin/fleetadmin/charts.html", "Charts", context)

    def _map(self, request, *, key: str, editable: bool, title: str):
        from apps.geofencing.selectors import map_layers

        networks, network = _picked(request, key)
        context = {"networks": networks, "network": network}
        if network is not None:
            layers = map_layers(network=network, user=request.user)
            context["config"] = {
                "api": API_ROOT, "network": network.pk, "layers": layers, "editable": editable,
                "csrf": get_token(request), "tiles": settings.ADMIN_MAP_TILE_URL,
                "attribution": settings.ADMIN_MAP_TILE_ATTRIBUTION, "center": _center(layers),
                "live": None if editable else f"{reverse('admin:fleet_map_live')}?network={network.pk}",
                "refresh": MAP_REFRESH_SECONDS}
        return self._page(request, "admin/fleetadmin/map.html", title, context)

    def map_view(self, request):
        return self._map(request, key="dashboard.access", editable=False, title="Fleet map")

    def map_live_view(self, request):
        """What moves on the fleet map (clusters' docked counts, free vehicles, open alerts), read again by map.js
        every MAP_REFRESH_SECONDS: the vehicles report their positions (apps.telemetry)."""
        from django.http import JsonResponse

        from apps.geofencing.selectors import map_layers

        _networks, network = _picked(request, "dashboard.access")
        if network is None:
            return JsonResponse({"clusters": [], "vehicles": [], "alerts": []})
        layers = map_layers(network=network, user=request.user)
        return JsonResponse({name: layers[name] for name in ("clusters", "vehicles", "alerts")})

    def geofencing_view(self, request):
        # Editing the border needs what updateNetworkBorderShape needs: networks.manage with write.
        editable = not resolve_scope(request.user, "networks.manage", write=True).empty
        return self._map(request, key="networks.manage", editable=editable, title="Geofencing")


def _date(text, default):
    from datetime import date

    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _center(layers) -> list[float]:
    """Where the map opens when nothing is drawn: the first cluster or vehicle, else Paris."""
    for row in layers["clusters"] + layers["vehicles"]:
        return [float(row["latitude"]), float(row["longitude"])]
    return [48.8566, 2.3522]
