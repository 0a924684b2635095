"""Reads on virtual parkings."""
from __future__ import annotations

from apps.core.geo import within_bounding_boxes
from apps.fleet.models import Vehicle

from .models import BorderSettings, NetworkBorder


def with_parked_vehicles(parkings) -> list:
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


def network_border(network) -> dict:
    """The border (null until drawn) and what happens beyond it (all off until set); two queries at most."""
    border = NetworkBorder.objects.filter(network=network).first()
    settings = BorderSettings.objects.filter(network=network).first() or BorderSettings(network=network)
    return {"network_id": network.pk, "shape": border.shape if border else None,
            "geojson": border.geojson() if border else None, "settings": settings}
