"""Ingesting a batch of telemetry messages from one provider (`POST /api/telemetry/v1/messages`).

In one transaction, whatever the batch's size, about a dozen statements:
1. the messages are checked one by one (apps.telemetry.messages); a bad one is refused with its reason;
2. their devices are looked up among the provider's own (another provider's vehicle is unknown here);
3. the history takes them in one INSERT; a message already kept (same provider, id and time) is skipped by the
   unique index, so a batch sent twice is kept once;
4. per vehicle, the new messages newer than its state are laid over it in time order (an older message arriving late
   is history only; a field a message leaves out keeps its last known value); the states are locked in vehicle
   order, so two batches for one vehicle queue up;
5. the vehicles' positions and batteries follow (what the map, the start checks and GBFS read);
6. the alert rules run on the new states; alerts are opened and resolved in bulk.

Nothing is kept in the process between requests: any number of web processes can ingest side by side.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.core.dbtypes import json_recordset
from apps.core.filters import equals_any
from apps.fleet.models import Maintenance, Vehicle
from apps.trips.lifecycle import UNDER_WAY
from apps.trips.models import Trip

from .messages import Message, MessageRefused, parse
from .models import TelemetryDevice, TelemetryMessage, TelemetryProvider, VehicleState
from . import rules

STATE_FIELDS = ["reported_at", "received_at", "message_id", "latitude", "longitude", "battery", "locked", "speed",
                "odometer", "error_codes", "at_rest_since", "anchor_latitude", "anchor_longitude", "anchored_at"]


@dataclass
class Outcome:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)
    alerts_raised: int = 0
    alerts_resolved: int = 0


def ingest(*, provider: TelemetryProvider, batch: list) -> Outcome:
    """Keep `batch`'s good messages (see the module's docstring); what became of each."""
    now = timezone.now()
    outcome = Outcome()
    oldest = now - timedelta(days=settings.TELEMETRY_RETENTION_DAYS)
    parsed: list[tuple[int, Message]] = []
    for index, raw in enumerate(batch):
        try:
            parsed.append((index, parse(raw, now=now, oldest=oldest)))
        except MessageRefused as refusal:
            outcome.rejected.append(_refusal(index, raw, str(refusal)))
    devices, networks = {}, {}
    for device_id, vehicle_id, network_id in (
            TelemetryDevice.objects.filter(equals_any(TelemetryDevice, "device_id", {m.device_id for _, m in parsed}),
                                           provider=provider)
            .values_list("device_id", "vehicle_id", "vehicle__network_id")):
        devices[device_id], networks[vehicle_id] = vehicle_id, network_id
    known = []
    for index, message in parsed:
        if message.device_id in devices:
            known.append(message)
        else:
            outcome.rejected.append(_refusal(index, {"id": message.message_id},
                                             "vehicle: no device with this identifier at this provider."))
    outcome.rejected.sort(key=lambda r: r["index"])
    if not known:
        return outcome
    with transaction.atomic():
        kept = _keep(provider, known, devices, networks, now)
        fresh = {(m.message_id, m.recorded_at): m for m in known if (m.message_id, m.recorded_at) in kept}
        outcome.accepted, outcome.duplicates = len(fresh), len(known) - len(fresh)
        if fresh:
            outcome.alerts_raised, outcome.alerts_resolved = _advance(fresh.values(), devices, networks, now)
    return outcome


def _refusal(index: int, raw, reason: str) -> dict:
    message_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
    return {"index": index, "id": message_id[:64] if message_id else None, "reason": reason}


HISTORY_COLUMNS = {"recorded_at": "timestamptz", "message_id": "varchar", "vehicle_id": "bigint",
                   "network_id": "bigint", "latitude": "float8", "longitude": "float8", "battery": "smallint",
                   "locked": "boolean", "speed": "float8", "odometer": "bigint", "errors": "text"}


def _keep(provider, messages: list[Message], devices: dict, networks: dict, now) -> set[tuple]:
    """Insert the messages into the history (the vehicle's network of now stays with each); the (id, time) of those
    that were not there yet."""
    rows = [{"recorded_at": m.recorded_at, "message_id": m.message_id, "vehicle_id": devices[m.device_id],
             "network_id": networks[devices[m.device_id]], "latitude": m.latitude, "longitude": m.longitude,
             "battery": m.battery, "locked": m.locked, "speed": m.speed, "odometer": m.odometer,
             "errors": ",".join(m.error_codes)} for m in messages]
    source, params = json_recordset(rows, HISTORY_COLUMNS, "m")
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {TelemetryMessage._meta.db_table} (recorded_at, received_at, provider_id, message_id,
                vehicle_id, network_id, latitude, longitude, battery, locked, speed, odometer, error_codes)
            SELECT m.recorded_at, %s, %s, m.message_id, m.vehicle_id, m.network_id, m.latitude, m.longitude,
                   m.battery, m.locked, m.speed, m.odometer, coalesce(string_to_array(nullif(m.errors, ''), ','), '{{}}')
            FROM {source}
            ON CONFLICT (provider_id, message_id, recorded_at) DO NOTHING
            RETURNING message_id, recorded_at""", [now, provider.pk, *params])
        return set(cursor.fetchall())


def moving_legitimately(vehicle_ids: list[int], now) -> set[int]:
    """The vehicles that may move: on a trip under way, or in staff's hands (put in a stock by staff, not by an
    auto-stock area, which is a place vehicles are left at; or with a maintenance open now: carried in their van).
    One statement."""
    riding = Trip.objects.filter(vehicle_id=OuterRef("pk"), state__in=UNDER_WAY)
    open_maintenance = Maintenance.objects.filter(vehicle_id=OuterRef("pk"), started_at__lte=now).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=now))
    return set(Vehicle._base_manager.filter(equals_any(Vehicle, "id", vehicle_ids))
               .filter(Q(Exists(riding)) | Q(stock_entry__automatic=False) | Q(Exists(open_maintenance)))
               .values_list("id", flat=True))


def _advance(messages, devices: dict, networks: dict, now) -> tuple[int, int]:
    """The vehicles' states moved to their newest new message, their positions and batteries updated, the rules
    run; (alerts raised, alerts resolved)."""
    per_vehicle: dict[int, list[Message]] = {}
    for message in messages:
        per_vehicle.setdefault(devices[message.device_id], []).append(message)
    states = {s.vehicle_id: s for s in VehicleState.objects.select_for_update()
              .filter(equals_any(VehicleState, "vehicle_id", sorted(per_vehicle))).order_by("vehicle_id")}
    # Each vehicle's messages newer than its state, oldest first: the same state whether they came in one batch or many.
    newer = {}
    for vehicle, batch in per_vehicle.items():
        held = states.get(vehicle)
        steps = sorted((m for m in batch if held is None or held.reported_at < m.recorded_at),
                       key=lambda m: (m.recorded_at, m.message_id))
        if steps:
            newer[vehicle] = steps
    if not newer:
        return 0, 0
    # Moved by a rider, or by staff: no theft, no parking rule, and it is left where it was last carried to.
    on_trip = moving_legitimately(list(newer), now)
    far = [v for v, s in states.items() if v in newer and s.anchor_latitude is not None and v not in on_trip]
    accepted = rules.accepted_moves(far) if far else {}
    changed = []
    for vehicle, steps in newer.items():
        state = states.get(vehicle) or VehicleState(vehicle_id=vehicle, error_codes=[])
        for message in steps:
            previous = (state.latitude, state.longitude) if state.latitude is not None else None
            _overlay(state, message, now)
            rules.remember(state, previous=previous, on_trip=vehicle in on_trip,
                           move_accepted_at=accepted.get(vehicle))
        changed.append(state)
    _save_states(changed)
    _move_vehicles(changed)
    per_network = rules.network_rules({networks[s.vehicle_id] for s in changed})
    found = {s.vehicle_id: rules.holding(s, on_trip=s.vehicle_id in on_trip, rules=per_network[networks[s.vehicle_id]])
             for s in changed}
    return rules.settle_alerts(found, networks, now=now)


STATE_TYPES = {"vehicle_id": "bigint", "reported_at": "timestamptz", "received_at": "timestamptz",
               "message_id": "varchar", "latitude": "float8", "longitude": "float8", "battery": "smallint",
               "locked": "boolean", "speed": "float8", "odometer": "bigint", "error_codes": "text",
               "at_rest_since": "timestamptz", "anchor_latitude": "float8", "anchor_longitude": "float8",
               "anchored_at": "timestamptz"}


def _save_states(states: list[VehicleState]) -> None:
    """Insert or update the states in one statement (a multi-row VALUES of 100 states is 1,500 placeholders, which
    cost more to bind than to run)."""
    rows = [{name: ",".join(s.error_codes) if name == "error_codes" else getattr(s, name) for name in STATE_TYPES}
            for s in states]
    source, params = json_recordset(rows, STATE_TYPES, "s")
    selected = ", ".join("coalesce(string_to_array(nullif(s.error_codes, ''), ','), '{}')" if name == "error_codes"
                         else f"s.{name}" for name in STATE_TYPES)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {VehicleState._meta.db_table} ({", ".join(STATE_TYPES)})
            SELECT {selected} FROM {source}
            ON CONFLICT (vehicle_id) DO UPDATE SET {", ".join(f"{n} = EXCLUDED.{n}" for n in STATE_FIELDS)}
            -- A vehicle's first state written by two batches at once (no row to lock yet): the newer one stays.
            WHERE {VehicleState._meta.db_table}.reported_at < EXCLUDED.reported_at""", params)


def _overlay(state: VehicleState, message: Message, now) -> None:
    """The message's values over the state's: a field the message leaves out keeps its last known value."""
    state.reported_at, state.received_at, state.message_id = message.recorded_at, now, message.message_id
    if message.has_position:
        state.latitude, state.longitude = message.latitude, message.longitude
    for name in ("battery", "locked", "speed", "odometer"):
        value = getattr(message, name)
        if value is not None:
            setattr(state, name, value)
    state.error_codes = list(message.error_codes)


def _move_vehicles(states: list[VehicleState]) -> None:
    """The vehicles' own position and battery (read by the map, the start's checks and GBFS), unless something newer
    already moved them (a trip's end)."""
    source, params = json_recordset(
        [{"vehicle_id": s.vehicle_id, "latitude": s.latitude, "longitude": s.longitude, "battery": s.battery,
          "reported_at": s.reported_at} for s in states],
        {"vehicle_id": "bigint", "latitude": "float8", "longitude": "float8", "battery": "smallint",
         "reported_at": "timestamptz"}, "s")
    with connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE {Vehicle._meta.db_table} v
            SET latitude = coalesce(s.latitude::numeric(9, 6), v.latitude),
                longitude = coalesce(s.longitude::numeric(9, 6), v.longitude),
                battery_level = coalesce(s.battery, v.battery_level), position_at = s.reported_at
            FROM {source}
            WHERE v.id = s.vehicle_id AND (v.position_at IS NULL OR v.position_at < s.reported_at)""", params)
