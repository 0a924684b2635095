"""Reads on virtual parkings."""
from __future__ import annotations

from apps.core.geo import within_bounding_boxes
from apps.core.permissions import resolve_scope
from apps.fleet.models import FleetAlert, Vehicle
from apps.stats.overview import overview_map

from .models import BorderSettings, NetworkBorder, SpeedZone, VirtualParking


def with_parked_vehicles(*, parkings) -> list:
    """The parkings, each with `.vehicles`: the active, undocked vehicles whose last position is inside it.

    One query for all parkings: vehicles in any bounding box, then the exact polygon test in Python.
    """
    parkings = list(parkings)
    for parking in parkings:
        parking.vehicles = []
    if not parkings:
        return parkings
    candidates = within_bounding_boxes(
        Vehicle.objects.filter(network_id__in={p.network_id for p in parkings}, decommissioned_at__isnull=True,
                               spot__isnull=True),
        parkings,
    ).select_related("model").order_by("serial_number")
    for vehicle in candidates:
        for parking in parkings:
            if parking.network_id == vehicle.network_id and parking.contains(vehicle.latitude, vehicle.longitude):
                parking.vehicles.append(vehicle)
    return parkings


def network_border(*, network) -> dict:
    """The border (null until drawn) and what happens beyond it (all off until set); two queries at most."""
    border = NetworkBorder.objects.filter(network=network).first()
    settings = BorderSettings.objects.filter(network=network).first() or BorderSettings(network=network)
    return {"network_id": network.pk, "shape": border.shape if border else None,
            "geojson": border.geojson() if border else None, "settings": settings}


def map_layers(*, network, user) -> dict:
    """What the admin's map draws for one network, each layer only if `user` may see it under the API's key for it
    (border and speed zones: networks.manage; parkings: virtual.parking; clusters, vehicles and alerts:
    dashboard.access, as getOverviewMap). Plain lists of [latitude, longitude] points; a fixed number of queries."""

    def sees(key):
        scope = resolve_scope(user, key)
        return scope if type(network)._default_manager.within(scope).filter(pk=network.pk).exists() else None

    layers = {"border": None, "speed_zones": [], "parkings": [], "clusters": [], "vehicles": [], "alerts": []}
    if sees("networks.manage"):
        border = NetworkBorder.objects.filter(network=network).first()
        layers["border"] = border.shape if border else None
        layers["speed_zones"] = [{"id": z.pk, "max_speed": z.max_speed, "shape": z.shape}
                                 for z in SpeedZone.objects.in_force().filter(network=network).order_by("id")]
    if scope := sees("virtual.parking"):
        layers["parkings"] = [{"id": p.pk, "capacity": p.capacity, "shape": p.shape}
                              for p in VirtualParking.objects.within(scope).filter(network=network)]
    if scope := sees("dashboard.access"):
        layers.update(overview_map([network.pk], scope))
        alerts = (FleetAlert.objects.within(scope).filter(network=network, resolved_at__isnull=True)
                  .select_related("vehicle", "cluster").order_by("-created_at")[:500])
        layers["alerts"] = [
            {"id": a.pk, "type": a.alert_type, "severity": a.severity, "latitude": place.latitude,
             "longitude": place.longitude}
            for a in alerts if (place := a.vehicle or a.cluster) is not None and place.latitude is not None]
    return layers
