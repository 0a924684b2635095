"""MDS 2.0 provider data (micromobility) of the networks an agency is granted, from our vehicles, trips,
maintenances, stocks and decommissionings (the mapping table is in docs/opendata.md).

Ids are UUIDs: trips and their events keep their own (`guid`); a vehicle's `device_id` is a UUID (version 8) that
carries the vehicle's id under this provider's prefix, so it is stable, never reused and answered by
`/vehicles/{device_id}` without a lookup table. Times are integer milliseconds. Every builder costs a fixed number
of queries.
"""
from __future__ import annotations

import csv
import hashlib
import io
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

VERSION = "2.0.0"
MEDIA_TYPE = "application/vnd.mds+json"
CSV_MEDIA_TYPE = "text/vnd.mds+csv"
VEHICLE_TTL_MS = 60_000
PAGE_SIZE = 1000
REDACT_BELOW = 10  # reports: any count under this is -1 (k-anonymity)
RECENTLY_REMOVED = timedelta(days=30)  # /vehicles lists what was deployed in the last 30 days

# Our vehicle model's form factor -> MDS vehicle_type; propulsion -> MDS propulsion_types.
VEHICLE_TYPE = {"bicycle": "bicycle", "cargo_bicycle": "cargo_bicycle", "scooter_standing": "scooter_standing",
                "scooter_seated": "scooter_seated", "moped": "moped", "other": "other"}
PROPULSION = {"human": ["human"], "electric_assist": ["electric_assist"], "electric": ["electric"]}


def provider_id() -> str:
    return settings.MDS_PROVIDER_ID


def _prefix() -> int:
    return int.from_bytes(hashlib.sha256(provider_id().encode()).digest()[:6], "big")  # 48 bits of this provider


def device_id(vehicle_pk: int) -> str:
    """A UUIDv8: 48 bits of the provider, version 8, 12 zero bits, variant, 62 bits of the vehicle id."""
    value = (_prefix() << 80) | (0x8 << 76) | (0b10 << 62) | (vehicle_pk & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


def vehicle_pk(device: str) -> int | None:
    """The vehicle id a `device_id` of ours carries, or None (not a UUID, not ours)."""
    try:
        value = uuid.UUID(device).int
    except ValueError:
        return None
    ours = value >> 80 == _prefix() and (value >> 76) & 0xF == 0x8 and (value >> 64) & 0xFFF == 0 \
        and (value >> 62) & 0b11 == 0b10
    if not ours:
        return None
    return value & ((1 << 62) - 1)


def derived_id(*parts) -> str:
    """A stable UUID for a record we do not store with one (an event derived from a maintenance...)."""
    return str(uuid.uuid5(uuid.UUID(provider_id()), ":".join(map(str, parts))))


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def point(latitude, longitude) -> dict | None:
    if latitude is None or longitude is None:
        return None
    return {"lat": float(latitude), "lng": float(longitude)}


# --- vehicles ------------------------------------------------------------------------------------------------
def vehicles_queryset(network_ids, *, now: datetime):
    from apps.fleet.models import Vehicle

    recent = Q(decommissioned_at__isnull=True) | Q(decommissioned_at__gte=now - RECENTLY_REMOVED)
    return Vehicle.objects.filter(recent, network_id__in=network_ids).select_related("model").order_by("id")


def vehicle(row) -> dict:
    return {"device_id": device_id(row.pk), "provider_id": provider_id(), "data_provider_id": provider_id(),
            "vehicle_id": row.serial_number, "vehicle_type": VEHICLE_TYPE[row.model.form_factor],
            "propulsion_types": PROPULSION[row.model.propulsion_type],
            "vehicle_attributes": {"model": row.model.name}}


def vehicle_states(network_ids, *, now: datetime, after_pk: int = 0, limit: int = PAGE_SIZE,
                   only_pk: int | None = None) -> list[dict]:
    """Each vehicle's current MDS state and the event that put it there, with its last known position: on_trip
    (a trip under way), removed (decommissioned in the last 90 minutes, or in a stock), non_operational (an open
    maintenance), available. One query for the page of vehicles, with their running trip, open maintenance, stock
    entry and last trip as subqueries."""
    from apps.fleet.models import Maintenance, Vehicle
    from apps.trips.models import Trip, TripState

    running = Trip.objects.filter(vehicle_id=OuterRef("pk"), state__in=[TripState.RUNNING, TripState.ON_HOLD])
    maintenance = Maintenance.objects.filter(vehicle_id=OuterRef("pk"), ended_at__isnull=True).order_by("started_at")
    last_trip = Trip.objects.filter(vehicle_id=OuterRef("pk"), state=TripState.FINISHED).order_by("-started_at", "-id")
    rows = (Vehicle.objects.filter(Q(decommissioned_at__isnull=True) | Q(decommissioned_at__gte=now - timedelta(
                minutes=90)), network_id__in=network_ids, pk__gt=after_pk)
            .annotate(trip_guid=Subquery(running.values("guid")[:1]),
                      trip_started=Subquery(running.values("started_at")[:1]),
                      maintenance_id=Subquery(maintenance.values("id")[:1]),
                      maintenance_started=Subquery(maintenance.values("started_at")[:1]),
                      ended_at=Subquery(last_trip.values("ended_at")[:1]),
                      ended_trip=Subquery(last_trip.values("guid")[:1]),
                      stocked_at=F("stock_entry__entered_at"))
            .select_related("spot__station__cluster").order_by("id"))
    if only_pk is not None:
        rows = rows.filter(pk=only_pk)
    states = []
    for row in rows[:limit]:
        where = point(row.latitude, row.longitude)
        if where is None and row.spot_id:
            cluster = row.spot.station.cluster
            where = point(cluster.latitude, cluster.longitude)
        if where is None:
            continue  # never positioned: not in the public right of way
        if row.decommissioned_at:
            state, types, since, cause = "removed", ["decommissioned"], row.decommissioned_at, "decommissioned"
        elif row.trip_guid:
            state, types, since, cause = "on_trip", ["trip_start"], row.trip_started, row.trip_guid
        elif row.stocked_at:
            state, types, since, cause = "removed", ["rebalance_pick_up"], row.stocked_at, "stock"
        elif row.maintenance_id:
            state, types, since, cause = "non_operational", ["maintenance"], row.maintenance_started, row.maintenance_id
        else:
            state, types = "available", ["trip_end"] if row.ended_at else ["located"]
            since, cause = row.ended_at or row.created_at, row.ended_trip or "located"
        event = {"device_id": device_id(row.pk), "provider_id": provider_id(),
                 "event_id": derived_id("state", row.pk, cause, ms(since)), "vehicle_state": state,
                 "event_types": types, "timestamp": ms(since), "location": where}
        if state == "on_trip" or types == ["trip_end"]:
            event["trip_ids"] = [str(row.trip_guid or row.ended_trip)]
        if row.battery_level is not None:
            event["battery_percent"] = row.battery_level
        telemetry = {"device_id": device_id(row.pk), "provider_id": provider_id(),
                     "telemetry_id": derived_id("position", row.pk, ms(row.position_at or since)),
                     "timestamp": ms(row.position_at or since), "trip_ids": [str(row.trip_guid)] if row.trip_guid
                     else None, "journey_id": None, "location": where}
        if row.battery_level is not None:
            telemetry["battery_percent"] = row.battery_level
        states.append({"pk": row.pk, "device_id": device_id(row.pk), "provider_id": provider_id(),
                       "last_event": event, "last_telemetry": telemetry})
    return states


# --- trips, telemetry, events --------------------------------------------------------------------------------
def _trips_in(network_ids, field: str, low: datetime, high: datetime):
    from apps.trips.models import Trip

    return (Trip.objects.filter(network_id__in=network_ids, **{f"{field}__gte": low, f"{field}__lt": high})
            .select_related("network__currency", "start_cluster", "end_cluster").order_by(field, "id"))


def _trip_places(trip) -> tuple[dict | None, dict | None]:
    start = point(trip.start_latitude, trip.start_longitude) or (
        trip.start_cluster and point(trip.start_cluster.latitude, trip.start_cluster.longitude))
    end = point(trip.end_latitude, trip.end_longitude) or (
        trip.end_cluster and point(trip.end_cluster.latitude, trip.end_cluster.longitude))
    return start or end, end or start


def trips(network_ids, low: datetime, high: datetime) -> list[dict]:
    """Finished trips that ended in [low, high): trips without any known position are left out (MDS needs one)."""
    from apps.trips.models import TripState

    rows = []
    for trip in _trips_in(network_ids, "ended_at", low, high).filter(state=TripState.FINISHED):
        start, end = _trip_places(trip)
        if start is None:
            continue
        currency = trip.network.currency
        minor = 10 ** currency.minor_units  # MDS costs are integers in the currency's minor unit
        rows.append({"provider_id": provider_id(), "data_provider_id": provider_id(),
                     "device_id": device_id(trip.vehicle_id), "trip_id": str(trip.guid),
                     "start_time": ms(trip.started_at), "end_time": ms(trip.ended_at),
                     "start_location": start, "end_location": end, "duration": trip.duration,
                     "distance": trip.distance, "trip_type": ["rider"],
                     "actual_cost": int(round(trip.amount * minor)), "currency": currency.code})
    return rows


def telemetry(network_ids, low: datetime, high: datetime) -> list[dict]:
    """The positions we know with their time: each trip's start and end points (so every trip has two)."""
    points = []
    for field, end in (("started_at", False), ("ended_at", True)):
        for trip in _trips_in(network_ids, field, low, high):
            start, finish = _trip_places(trip)
            where = finish if end else start
            if where is None:
                continue
            moment = trip.ended_at if end else trip.started_at
            points.append({"device_id": device_id(trip.vehicle_id), "provider_id": provider_id(),
                           "telemetry_id": derived_id("trip", trip.guid, "end" if end else "start"),
                           "timestamp": ms(moment), "trip_ids": [str(trip.guid)], "journey_id": None,
                           "location": where})
    return sorted(points, key=lambda p: (p["timestamp"], p["telemetry_id"]))


def events(network_ids, low: datetime, high: datetime) -> list[dict]:
    """Every state change in [low, high): trips starting, ending or cancelled, maintenances opened and closed,
    vehicles put in a stock or decommissioned (docs/opendata.md maps each)."""
    from apps.fleet.models import Maintenance, Vehicle
    from apps.stocks.models import StockedVehicle
    from apps.trips.models import TripState

    found = []

    def add(vehicle_pk, event_id, state, types, moment, where, trip_guid=None):
        if where is None:
            return
        event = {"device_id": device_id(vehicle_pk), "provider_id": provider_id(), "event_id": str(event_id),
                 "vehicle_state": state, "event_types": types, "timestamp": ms(moment), "location": where}
        if trip_guid is not None:
            event["trip_ids"] = [str(trip_guid)]
        found.append(event)

    for trip in _trips_in(network_ids, "started_at", low, high):
        add(trip.vehicle_id, derived_id("trip", trip.guid, "start"), "on_trip", ["trip_start"], trip.started_at,
            _trip_places(trip)[0], trip.guid)
    for trip in _trips_in(network_ids, "ended_at", low, high).exclude(state=TripState.RUNNING):
        kind = "trip_cancel" if trip.state == TripState.CANCELLED else "trip_end"
        add(trip.vehicle_id, derived_id("trip", trip.guid, "end"), "available", [kind], trip.ended_at,
            _trip_places(trip)[1], trip.guid)
    maintenances = Maintenance.objects.filter(Q(started_at__gte=low, started_at__lt=high)
                                              | Q(ended_at__gte=low, ended_at__lt=high),
                                              vehicle__network_id__in=network_ids).select_related("vehicle")
    for maintenance in maintenances:
        where = point(maintenance.vehicle.latitude, maintenance.vehicle.longitude)
        if low <= maintenance.started_at < high:
            add(maintenance.vehicle_id, derived_id("maintenance", maintenance.pk, "open"), "non_operational",
                ["maintenance"], maintenance.started_at, where)
        if maintenance.ended_at and low <= maintenance.ended_at < high:
            add(maintenance.vehicle_id, derived_id("maintenance", maintenance.pk, "close"), "available",
                ["maintenance"], maintenance.ended_at, where)
    for entry in StockedVehicle.objects.filter(vehicle__network_id__in=network_ids, entered_at__gte=low,
                                               entered_at__lt=high).select_related("vehicle"):
        add(entry.vehicle_id, derived_id("stock", entry.pk, ms(entry.entered_at)), "removed", ["rebalance_pick_up"],
            entry.entered_at, point(entry.vehicle.latitude, entry.vehicle.longitude))
    for gone in Vehicle.objects.filter(network_id__in=network_ids, decommissioned_at__gte=low,
                                       decommissioned_at__lt=high):
        add(gone.pk, derived_id("decommissioned", gone.pk), "removed", ["decommissioned"], gone.decommissioned_at,
            point(gone.latitude, gone.longitude))
    return sorted(found, key=lambda e: (e["timestamp"], e["event_id"]))


# --- reports -------------------------------------------------------------------------------------------------
REPORT_HEADER = ["provider_id", "start_date", "duration", "special_group_type", "geography_id", "vehicle_type",
                 "trip_count", "rider_count"]


def _redacted(count: int) -> int:
    return -1 if count < REDACT_BELOW else count


def monthly_report(network_ids, first_day, low: datetime, high: datetime) -> str:
    """Trips finished in the month and their distinct riders, per vehicle type, for all riders (we keep no special
    groups); every count under 10, zero included, is -1."""
    from apps.fleet.models import VehicleModel
    from apps.trips.models import Trip, TripState

    counts = {row["vehicle__model__form_factor"]: row for row in
              Trip.objects.filter(network_id__in=network_ids, state=TripState.FINISHED, ended_at__gte=low,
                                  ended_at__lt=high)
              .values("vehicle__model__form_factor")
              .annotate(trips=Count("id"), riders=Count("rider_id", distinct=True)).order_by()}
    kinds = sorted({VEHICLE_TYPE[f] for f in VehicleModel.objects.filter(
        vehicles__network_id__in=network_ids).values_list("form_factor", flat=True)} | set(counts))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_HEADER)
    for kind in kinds:
        row = counts.get(kind, {"trips": 0, "riders": 0})
        writer.writerow([provider_id(), first_day.isoformat(), "P1M", "all_riders", "null", kind,
                         _redacted(row["trips"]), _redacted(row["riders"])])
    return out.getvalue()


def now() -> datetime:
    return timezone.now()
