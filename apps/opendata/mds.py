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
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.filters import equals_any
from apps.fleet.models import FleetAlert, Maintenance, Vehicle, VehicleModel
from apps.stocks.models import Stock, StockedVehicle, StockExit
from apps.telemetry.models import TelemetryMessage
from apps.trips.models import Trip, TripState

VERSION = "2.0.0"
MEDIA_TYPE = "application/vnd.mds+json"
CSV_MEDIA_TYPE = "text/vnd.mds+csv"
VEHICLE_TTL_MS = 60_000
PAGE_SIZE = 1000
TELEMETRY_PAGE_SIZE = 5000  # reported positions per /telemetry page (a busy hour holds tens of thousands)
REDACT_BELOW = 10  # reports: any count under this is -1 (k-anonymity)
RECENTLY_REMOVED = timedelta(days=30)  # /vehicles lists what was deployed in the last 30 days
# The telemetry rules' alerts (apps.telemetry.rules) as states: a vehicle neither on a trip, removed nor under
# maintenance is non_contactable while its offline alert is open (no message for too long), else non_operational
# while its low-battery alert is open, else available. The status and the events say the same (docs/opendata.md).
OFFLINE, LOW_BATTERY = "offline", "low-battery"

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
def position(vehicle) -> dict | None:
    """Where a vehicle is: its own last position, else (docked, never positioned itself) its station's cluster's.
    Select `spot__station__cluster` with it."""
    where = point(vehicle.latitude, vehicle.longitude)
    if where is None and vehicle.spot_id:
        cluster = vehicle.spot.station.cluster
        where = point(cluster.latitude, cluster.longitude)
    return where


def vehicles_queryset(network_ids, *, now: datetime):
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

    running = Trip.objects.filter(vehicle_id=OuterRef("pk"), state__in=[TripState.RUNNING, TripState.ON_HOLD])
    # Open now: not ended, or ending later (a planned end is not an end yet).
    maintenance = Maintenance.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now), vehicle_id=OuterRef("pk"),
                                             started_at__lte=now).order_by("started_at")
    # The last trip that ended, finished or cancelled (a cancelled one without its end: at its start, as the events).
    last_trip = (Trip.objects.filter(vehicle_id=OuterRef("pk"), state__in=[TripState.FINISHED, TripState.CANCELLED])
                 .annotate(moment=Coalesce("ended_at", "started_at")).order_by("-moment", "-id"))
    left_stock = StockExit.objects.filter(vehicle_id=OuterRef("pk")).order_by("-left_at", "-id")
    open_alert = {rule: FleetAlert.objects.filter(vehicle_id=OuterRef("pk"), rule=rule, resolved_at__isnull=True)
                  for rule in (OFFLINE, LOW_BATTERY)}
    rows = (Vehicle.objects.filter(Q(decommissioned_at__isnull=True) | Q(decommissioned_at__gte=now - timedelta(
                minutes=90)), network_id__in=network_ids, pk__gt=after_pk)
            .annotate(trip_guid=Subquery(running.values("guid")[:1]),
                      trip_started=Subquery(running.values("started_at")[:1]),
                      maintenance_id=Subquery(maintenance.values("id")[:1]),
                      maintenance_started=Subquery(maintenance.values("started_at")[:1]),
                      ended_at=Subquery(last_trip.values("moment")[:1]),
                      ended_trip=Subquery(last_trip.values("guid")[:1]),
                      ended_state=Subquery(last_trip.values("state")[:1]),
                      left_stock_at=Subquery(left_stock.values("left_at")[:1]),
                      offline_since=Subquery(open_alert[OFFLINE].values("created_at")[:1]),
                      battery_low_since=Subquery(open_alert[LOW_BATTERY].values("created_at")[:1]),
                      stocked_at=F("stock_entry__entered_at"))
            .select_related("spot__station__cluster").order_by("id"))
    if only_pk is not None:
        rows = rows.filter(pk=only_pk)
    states = []
    for row in rows[:limit]:
        where = position(row)
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
        elif row.offline_since or row.battery_low_since:  # since the alert, or since it was free again
            freed = max(filter(None, [row.ended_at, row.left_stock_at]), default=None)
            alerted = row.offline_since or row.battery_low_since
            since = max(alerted, freed) if freed else alerted
            state, types = ("non_contactable", ["comms_lost"]) if row.offline_since else (
                "non_operational", ["battery_low"])
            cause = types[0]
        elif row.left_stock_at and (row.ended_at is None or row.left_stock_at > row.ended_at):
            state, types, since, cause = "available", ["provider_drop_off"], row.left_stock_at, "stock exit"
        elif row.ended_at:
            kind = "trip_cancel" if row.ended_state == TripState.CANCELLED else "trip_end"
            state, types, since, cause = "available", [kind], row.ended_at, row.ended_trip
        else:
            state, types, since, cause = "available", ["located"], row.created_at, "located"
        event = {"device_id": device_id(row.pk), "provider_id": provider_id(),
                 "event_id": derived_id("state", row.pk, cause, ms(since)), "vehicle_state": state,
                 "event_types": types, "timestamp": ms(since), "location": where}
        if state == "on_trip" or types in (["trip_end"], ["trip_cancel"]):
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


def telemetry(network_ids, low: datetime, high: datetime, *, after: tuple[datetime, int] | None = None,
              limit: int | None = None) -> tuple[list[dict], tuple[datetime, int] | None]:
    """The positions we know with their time, a page at a time: every position the vehicles reported in those
    networks (their history, apps.telemetry, with the trip each was on), `limit` at a time after the cursor `after`
    ((time, id) of the last one of the previous page), and on the first page each trip's start and end points (so
    every trip has two, reported or not). (The page in time order, the next page's cursor or None.)"""
    points = []
    if after is None:
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
    reported, cursor = _reported_positions(network_ids, low, high, after=after,
                                           limit=limit or TELEMETRY_PAGE_SIZE)
    points += reported
    return sorted(points, key=lambda p: (p["timestamp"], p["telemetry_id"])), cursor


def _reported_positions(network_ids, low: datetime, high: datetime, *, after, limit: int) -> tuple[list, tuple | None]:
    """The vehicles' reported positions in [low, high) (their network's at the time) after the cursor, `limit` of
    them, each with the trips under way on its vehicle then; and the cursor of the next page, if there is one."""

    messages = TelemetryMessage.objects.filter(network_id__in=network_ids, recorded_at__gte=low, recorded_at__lt=high,
                                               latitude__isnull=False)
    if after is not None:
        messages = messages.filter(Q(recorded_at__gt=after[0]) | Q(recorded_at=after[0], id__gt=after[1]))
    rows = list(messages.order_by("recorded_at", "id").values_list(
        "id", "provider_id", "message_id", "vehicle_id", "recorded_at", "latitude", "longitude", "battery")[:limit + 1])
    following = (rows[limit - 1][4], rows[limit - 1][0]) if len(rows) > limit else None
    rows = rows[:limit]
    trips: dict[int, list] = {}
    # The page's vehicles as one array parameter (`= ANY`): 5,000 placeholders cost more to bind than to run.
    for trip in (Trip.objects.filter(equals_any(Trip, "vehicle_id", {r[3] for r in rows}), network_id__in=network_ids,
                                     started_at__lt=high)
                 .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=low)).values_list("vehicle_id", "guid",
                                                                                        "started_at", "ended_at")):
        trips.setdefault(trip[0], []).append(trip[1:])
    points = []
    for _pk, provider, message, vehicle, moment, latitude, longitude, battery in rows:
        during = [str(guid) for guid, start, end in trips.get(vehicle, ()) if start <= moment and (
            end is None or moment <= end)]
        reported = {"device_id": device_id(vehicle), "provider_id": provider_id(),
                    "telemetry_id": derived_id("message", provider, message, ms(moment)), "timestamp": ms(moment),
                    "trip_ids": during or None, "journey_id": None, "location": point(latitude, longitude)}
        if battery is not None:
            reported["battery_percent"] = battery
        points.append(reported)
    return points, following


def events(network_ids, low: datetime, high: datetime) -> list[dict]:
    """Every state change in [low, high): trips starting, ending or cancelled, maintenances opened and closed,
    vehicles put in a stock or decommissioned (docs/opendata.md maps each)."""

    found, transitions = [], []  # transitions: (vehicle, moment, event), for what the alerts then make of it

    def add(vehicle_pk, event_id, state, types, moment, where, trip_guid=None):
        if where is None:
            return
        event = {"device_id": device_id(vehicle_pk), "provider_id": provider_id(), "event_id": str(event_id),
                 "vehicle_state": state, "event_types": types, "timestamp": ms(moment), "location": where}
        if trip_guid is not None:
            event["trip_ids"] = [str(trip_guid)]
        found.append(event)
        transitions.append((vehicle_pk, moment, event))

    for trip in _trips_in(network_ids, "started_at", low, high):
        add(trip.vehicle_id, derived_id("trip", trip.guid, "start"), "on_trip", ["trip_start"], trip.started_at,
            _trip_places(trip)[0], trip.guid)
    ended = list(_trips_in(network_ids, "ended_at", low, high).filter(state=TripState.FINISHED))
    # A cancelled trip ends where it started; one recorded without its end, at its start (after its start event).
    cancelled = list(Trip.objects.filter(network_id__in=network_ids, state=TripState.CANCELLED)
                     .annotate(moment=Coalesce("ended_at", "started_at")).filter(moment__gte=low, moment__lt=high)
                     .select_related("start_cluster", "end_cluster"))
    under_maintenance = _maintenance_spans({t.vehicle_id for t in ended + cancelled}, low, high)

    def trip_over(trip, kind: str, moment) -> None:
        """The trip's end makes its vehicle available (MDS allows trip_end and trip_cancel in no other state); one
        under maintenance then is not available: a second event at the same instant says so (non_operational,
        maintenance), as when a maintenance opens."""
        where = _trip_places(trip)[1]
        add(trip.vehicle_id, derived_id("trip", trip.guid, "end"), "available", [kind], moment, where, trip.guid)
        if any(s <= moment and (e is None or moment < e) for s, e in under_maintenance.get(trip.vehicle_id, ())):
            add(trip.vehicle_id, derived_id("trip", trip.guid, "end", "maintenance"), "non_operational",
                ["maintenance"], moment, where)

    for trip in ended:
        trip_over(trip, "trip_end", trip.ended_at)
    for trip in cancelled:
        trip_over(trip, "trip_cancel", trip.moment)
    maintenances = Maintenance.objects.filter(Q(started_at__gte=low, started_at__lt=high)
                                              | Q(ended_at__gte=low, ended_at__lt=high),
                                              vehicle__network_id__in=network_ids).select_related(
        "vehicle__spot__station__cluster")
    for maintenance in maintenances:
        where = position(maintenance.vehicle)
        if low <= maintenance.started_at < high:
            add(maintenance.vehicle_id, derived_id("maintenance", maintenance.pk, "open"), "non_operational",
                ["maintenance"], maintenance.started_at, where)
        if maintenance.ended_at and low <= maintenance.ended_at < high:
            add(maintenance.vehicle_id, derived_id("maintenance", maintenance.pk, "close"), "available",
                ["maintenance"], maintenance.ended_at, where)
    for entry in StockedVehicle.objects.filter(vehicle__network_id__in=network_ids, entered_at__gte=low,
                                               entered_at__lt=high).select_related("vehicle__spot__station__cluster"):
        add(entry.vehicle_id, derived_id("stock", entry.pk, ms(entry.entered_at)), "removed",
            ["rebalance_pick_up"], entry.entered_at, position(entry.vehicle))
    # Stays that ended: their pick-up (with the id it had while the vehicle was in the stock) and their drop-off.
    stocks = Stock.objects.filter(network_id__in=network_ids).values("pk")
    exits = list(StockExit.objects.filter(Q(entered_at__gte=low, entered_at__lt=high) | Q(
        left_at__gte=low, left_at__lt=high), stock_id__in=stocks))
    vehicles = Vehicle.objects.select_related("spot__station__cluster").in_bulk({e.vehicle_id for e in exits})
    for exit in exits:
        vehicle = vehicles.get(exit.vehicle_id)
        if vehicle is None:
            continue
        if low <= exit.entered_at < high:
            add(exit.vehicle_id, derived_id("stock", exit.entry_id, ms(exit.entered_at)), "removed",
                ["rebalance_pick_up"], exit.entered_at, position(vehicle))
        if low <= exit.left_at < high:
            add(exit.vehicle_id, derived_id("stock exit", exit.pk), "available", ["provider_drop_off"],
                exit.left_at, position(vehicle))
    for gone in Vehicle.objects.filter(network_id__in=network_ids, decommissioned_at__gte=low,
                                       decommissioned_at__lt=high):
        add(gone.pk, derived_id("decommissioned", gone.pk), "removed", ["decommissioned"], gone.decommissioned_at,
            point(gone.latitude, gone.longitude))
    found.extend(_alert_events(network_ids, low, high, transitions))
    # In time order; at one instant, in the order things happen (a trip cancelled as it started, a vehicle taken out
    # of a stock as soon as it was put there, then what its alerts make of it).
    return sorted(found, key=_in_order)


SAME_INSTANT_ORDER = {"trip_start": 0, "trip_end": 1, "trip_cancel": 1, "rebalance_pick_up": 2,
                      "provider_drop_off": 3, "maintenance": 4, "decommissioned": 5, "comms_restored": 6,
                      "battery_charged": 6, "comms_lost": 7, "battery_low": 8}


def _in_order(event: dict) -> tuple:
    return event["timestamp"], SAME_INSTANT_ORDER.get(event["event_types"][0], 9), event["event_id"]


# --- what the telemetry's alerts make of a vehicle's state -------------------------------------------------------
def _open_at(spans, moment, *, before: bool = False) -> bool:
    """Whether one of the [start, end) spans holds at `moment`, or just before it."""
    if before:
        return any(start < moment and (end is None or moment <= end) for start, end in spans)
    return any(start <= moment and (end is None or moment < end) for start, end in spans)


def _alert_events(network_ids, low: datetime, high: datetime, transitions: list[tuple[int, datetime, dict]]
                  ) -> list[dict]:
    """The events the offline and low-battery alerts make in [low, high): where the vehicle is otherwise free, the
    change each opening or resolution makes; and at each instant a vehicle becomes available again (`transitions`:
    its vehicle, moment and event) while one is open, what it is then (a second event at that instant, as for a
    maintenance). Five queries, whatever the number of alerts."""

    alerts = list(FleetAlert.objects.filter(vehicle__network_id__in=network_ids, rule__in=[OFFLINE, LOW_BATTERY],
                                            created_at__lt=high)
                  .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=low))
                  .select_related("vehicle__spot__station__cluster"))
    if not alerts:
        return []
    spans: dict[tuple[int, str], list] = {}
    for alert in alerts:
        spans.setdefault((alert.vehicle_id, alert.rule), []).append((alert.created_at, alert.resolved_at))
    busy = _busy_spans([alert.vehicle for alert in alerts], low, high)

    def free_state(pk: int, moment, before: bool = False) -> str:
        if _open_at(spans.get((pk, OFFLINE), ()), moment, before=before):
            return "non_contactable"
        if _open_at(spans.get((pk, LOW_BATTERY), ()), moment, before=before):
            return "non_operational"
        return "available"

    def change(pk: int, moment, event_id: str, where, was: str) -> dict | None:
        now_state = free_state(pk, moment)
        if now_state == was or where is None:
            return None
        if now_state == "non_contactable":
            types = ["comms_lost"]
        elif was == "non_contactable":
            types = ["comms_restored"]
        else:
            types = ["battery_low"] if now_state == "non_operational" else ["battery_charged"]
        return {"device_id": device_id(pk), "provider_id": provider_id(), "event_id": event_id,
                "vehicle_state": now_state, "event_types": types, "timestamp": ms(moment), "location": where}

    added = []
    for alert in alerts:
        pk = alert.vehicle_id
        for moment, step in ((alert.created_at, "open"), (alert.resolved_at, "resolved")):
            if moment is None or not low <= moment < high or _open_at(busy.get(pk, ()), moment):
                continue
            added.append(change(pk, moment, derived_id("alert", alert.pk, step), position(alert.vehicle),
                                free_state(pk, moment, before=True)))
    # A vehicle freed (a trip's end, a maintenance closed, back from a stock) while an alert is open is not available.
    freed = {}
    for pk, moment, event in transitions:  # the last event of each vehicle at each instant
        if (pk, OFFLINE) in spans or (pk, LOW_BATTERY) in spans:
            key = (pk, moment)
            if key not in freed or _in_order(event) > _in_order(freed[key][1]):
                freed[key] = (moment, event)
    for (pk, _), (moment, event) in freed.items():
        if event["vehicle_state"] == "available":
            added.append(change(pk, moment, derived_id(event["event_id"], "alerts"), event["location"], "available"))
    return [event for event in added if event is not None]


def _busy_spans(vehicles, low: datetime, high: datetime) -> dict[int, list]:
    """Per vehicle, when in [low, high) it was on a trip, under maintenance, in a stock or decommissioned, as
    [start, end) spans (end None: still). Four queries."""

    pks = {vehicle.pk for vehicle in vehicles}
    busy = {pk: list(found) for pk, found in _maintenance_spans(pks, low, high).items()}
    for vehicle in vehicles:
        if vehicle.decommissioned_at is not None:
            busy.setdefault(vehicle.pk, []).append((vehicle.decommissioned_at, None))
    for pk, start, end, state in (Trip.objects.filter(vehicle_id__in=pks, started_at__lt=high)
                                  .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=low))
                                  .values_list("vehicle_id", "started_at", "ended_at", "state")):
        if state == TripState.CANCELLED and end is None:
            continue  # cancelled as it started: an instant, not a span
        busy.setdefault(pk, []).append((start, end))
    for pk, start in StockedVehicle.objects.filter(vehicle_id__in=pks, entered_at__lt=high).values_list(
            "vehicle_id", "entered_at"):
        busy.setdefault(pk, []).append((start, None))
    for pk, start, end in StockExit.objects.filter(vehicle_id__in=pks, entered_at__lt=high, left_at__gt=low
                                                   ).values_list("vehicle_id", "entered_at", "left_at"):
        busy.setdefault(pk, []).append((start, end))
    return busy


def _maintenance_spans(vehicle_pks, low: datetime, high: datetime) -> dict[int, list]:
    """Per vehicle, its maintenances reaching into [low, high), as (start, end or None)."""

    spans: dict[int, list] = {}
    for vehicle_pk, start, end in (Maintenance.objects.filter(vehicle_id__in=vehicle_pks, started_at__lt=high)
                                   .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=low))
                                   .values_list("vehicle_id", "started_at", "ended_at")):
        spans.setdefault(vehicle_pk, []).append((start, end))
    return spans


# --- reports -------------------------------------------------------------------------------------------------
REPORT_HEADER = ["provider_id", "start_date", "duration", "special_group_type", "geography_id", "vehicle_type",
                 "trip_count", "rider_count"]


def _redacted(count: int) -> int:
    return -1 if count < REDACT_BELOW else count


def monthly_report(network_ids, first_day, low: datetime, high: datetime) -> str:
    """Trips finished in the month and their distinct riders, per vehicle type, for all riders (we keep no special
    groups); every count under 10, zero included, is -1."""

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
