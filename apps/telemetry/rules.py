"""The alert rules over the vehicles' reported states. Each rule is a condition on a vehicle's latest state; while it
holds, one fleet alert of its kind is open (a partial unique index keeps it to one), and the first message after the
condition ends resolves it. Thresholds are the network's (`AlertThresholds`, defaults without a row).

| rule            | alert type                   | condition                                                          |
|-----------------|------------------------------|--------------------------------------------------------------------|
| low-battery     | vehicle-low-battery          | battery below `low_battery` percent                                |
| offline         | vehicle-offline              | no message for `offline_after` seconds (checked by the beat)       |
| theft           | vehicle-illegal-moving       | no trip under way, not in staff's hands, farther than `theft_distance` m from where it was left |
| outside-border  | vehicle-out-of-network-area  | outside the network's border, where its border settings ask for the alert |
| no-parking      | vehicle-in-no-parking-zone   | no trip, at rest in a no-parking zone for `no_parking_grace` seconds |
| speeding        | vehicle-speeding             | faster than a speed zone's limit plus `speeding_tolerance`         |

"Where it was left" is its position when it last reported during a trip or in staff's hands (put in a stock by staff,
or under an open maintenance: carried in their van; ingestion.moving_legitimately), or first reported; staff resolving a
theft alert accept its new place, which becomes the reference. The no-parking rule spares vehicles in staff's hands
too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from shapely.geometry import Point

from apps.core.filters import equals_any
from apps.core.geo import distance_m
from apps.fleet.models import FleetAlert
from apps.geofencing.models import NetworkBorder, NoParkingZone, SpeedZone
from apps.networks.models import Network

from .models import AlertThresholds, VehicleState

Type, Severity = FleetAlert.Type, FleetAlert.Severity
RULES = {
    "low-battery": (Type.VEHICLE_LOW_BATTERY, Severity.LOW),
    "offline": (Type.VEHICLE_OFFLINE, Severity.HIGH),
    "theft": (Type.VEHICLE_ILLEGAL_MOVING, Severity.CRITICAL),
    "outside-border": (Type.VEHICLE_OUT_OF_NETWORK_AREA, Severity.HIGH),
    "no-parking": (Type.VEHICLE_IN_NO_PARKING_ZONE, Severity.LOW),
    "speeding": (Type.VEHICLE_SPEEDING, Severity.LOW),
}
AT_REST_METERS = 15  # GPS noise: a vehicle standing still drifts a few meters between fixes
MOVING_KMH = 3


@dataclass
class Area:
    polygon: object
    bounds: tuple[float, float, float, float]  # min lng, min lat, max lng, max lat
    limit: int | None = None

    def covers(self, latitude: float, longitude: float) -> bool:
        min_lng, min_lat, max_lng, max_lat = self.bounds
        return (min_lat <= latitude <= max_lat and min_lng <= longitude <= max_lng
                and self.polygon.covers(Point(longitude, latitude)))


@dataclass
class NetworkRules:
    thresholds: AlertThresholds
    border: Area | None = None
    no_parking: list[Area] = field(default_factory=list)
    speed_zones: list[Area] = field(default_factory=list)


def _area(shaped, limit=None) -> Area:
    return Area(shaped.polygon, shaped.polygon.bounds, limit)


def network_rules(network_ids) -> dict[int, NetworkRules]:
    """Each network's thresholds and areas (four queries, whatever the number of networks)."""
    thresholds = {t.network_id: t for t in AlertThresholds.objects.filter(network_id__in=network_ids)}
    rules = {pk: NetworkRules(thresholds.get(pk) or AlertThresholds(network_id=pk)) for pk in network_ids}
    for border in NetworkBorder.objects.filter(network_id__in=network_ids, network__border_settings__trigger_alert=True):
        rules[border.network_id].border = _area(border)
    for zone in NoParkingZone.objects.in_force().filter(network_id__in=network_ids):
        rules[zone.network_id].no_parking.append(_area(zone))
    for zone in SpeedZone.objects.in_force().filter(network_id__in=network_ids):
        rules[zone.network_id].speed_zones.append(_area(zone, zone.max_speed))
    return rules


def remember(state: VehicleState, *, previous: tuple | None, on_trip: bool, move_accepted_at=None) -> None:
    """Move on what the rules remember, once `state` holds a newer message's values; `previous` is the position it
    held before (latitude, longitude), if any. `move_accepted_at`: when staff last resolved its theft alert."""
    moved = (state.speed is not None and state.speed >= MOVING_KMH) or (
        previous is not None and state.latitude is not None
        and distance_m(state.latitude, state.longitude, *previous) > AT_REST_METERS)
    if moved:
        state.at_rest_since = None
    elif state.at_rest_since is None:
        state.at_rest_since = state.reported_at
    if state.latitude is None:
        return
    accepted = move_accepted_at is not None and (state.anchored_at is None or move_accepted_at > state.anchored_at)
    if on_trip or state.anchor_latitude is None or accepted:
        state.anchor_latitude, state.anchor_longitude = state.latitude, state.longitude
        state.anchored_at = state.received_at  # server time, as staff's resolution is


def holding(state: VehicleState, *, on_trip: bool, rules: NetworkRules) -> dict[str, str]:
    """The rules whose condition holds for this state, each with the alert's message."""
    found = {}
    limits = rules.thresholds
    if state.battery is not None and state.battery < limits.low_battery:
        found["low-battery"] = f"Battery at {state.battery}% (below {limits.low_battery}%)."
    if state.latitude is None:
        return found
    lat, lng = state.latitude, state.longitude
    if rules.border is not None and not rules.border.covers(lat, lng):
        found["outside-border"] = f"Outside the network's border at {lat:.6f}, {lng:.6f}."
    if not on_trip and state.anchor_latitude is not None:
        away = distance_m(lat, lng, state.anchor_latitude, state.anchor_longitude)
        if away > limits.theft_distance:
            found["theft"] = f"Moved {away:.0f} m without a trip (to {lat:.6f}, {lng:.6f})."
    resting = state.at_rest_since is not None and (
        state.reported_at - state.at_rest_since >= timedelta(seconds=limits.no_parking_grace))
    if not on_trip and resting and any(zone.covers(lat, lng) for zone in rules.no_parking):
        found["no-parking"] = f"Standing in a no-parking zone since {state.at_rest_since:%Y-%m-%d %H:%M} UTC."
    if state.speed is not None:
        limit = min((z.limit for z in rules.speed_zones if z.covers(lat, lng)), default=None)
        if limit is not None and state.speed > limit + limits.speeding_tolerance:
            found["speeding"] = f"{state.speed:.0f} km/h in a {limit} km/h zone."
    return found


def settle_alerts(found: dict[int, dict[str, str]], networks: dict[int, int], *, now=None) -> tuple[int, int]:
    """Open the alerts of the rules that hold and are not open yet, resolve the open ones whose condition ended (every
    rule but `offline` is evaluated on each state; a message ends `offline`). `found`: vehicle -> rule -> message;
    `networks`: vehicle -> its network. (raised, resolved)."""
    now = now or timezone.now()
    open_alerts = list(FleetAlert.objects.filter(equals_any(FleetAlert, "vehicle_id", found), resolved_at__isnull=True)
                       .exclude(rule="").values_list("pk", "vehicle_id", "rule"))
    is_open = {(vehicle, rule) for _pk, vehicle, rule in open_alerts}
    ended = [pk for pk, vehicle, rule in open_alerts if rule not in found[vehicle]]
    new = [FleetAlert(network_id=networks[vehicle], vehicle_id=vehicle, rule=rule, alert_type=RULES[rule][0],
                      severity=RULES[rule][1], message=message[:255], created_at=now, updated_at=now)
           for vehicle, rules in found.items() for rule, message in rules.items() if (vehicle, rule) not in is_open]
    if new:
        FleetAlert.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent batch may have opened it
    if ended:
        FleetAlert.objects.filter(pk__in=ended, resolved_at__isnull=True).update(resolved_at=now, updated_at=now)
    return len(new), len(ended)


def accepted_moves(vehicle_ids) -> dict[int, object]:
    """Vehicles whose latest theft alert staff resolved: when they did (a move before it was accepted)."""
    rows = (FleetAlert.objects.filter(equals_any(FleetAlert, "vehicle_id", vehicle_ids), rule="theft",
                                      resolved_by__isnull=False)
            .order_by("vehicle_id", "-resolved_at").distinct("vehicle_id").values_list("vehicle_id", "resolved_at"))
    return dict(rows)


def raise_offline_alerts(*, now=None) -> int:
    """Vehicles in service silent past their network's `offline_after`: an alert each, once."""
    now = now or timezone.now()
    thresholds = {t.network_id: t.offline_after for t in AlertThresholds.objects.all()}
    default = AlertThresholds._meta.get_field("offline_after").default
    # One subquery: two conditions in one exclude() over a vehicle's alerts may match two different alerts.
    alerted = FleetAlert.objects.filter(rule="offline", resolved_at__isnull=True).values("vehicle_id")
    raised = 0
    for network_id in Network.objects.values_list("pk", flat=True):
        cutoff = now - timedelta(seconds=thresholds.get(network_id, default))
        silent = (VehicleState.objects.filter(vehicle__network_id=network_id, reported_at__lt=cutoff,
                                              vehicle__decommissioned_at__isnull=True)
                  .exclude(vehicle_id__in=alerted).values_list("vehicle_id", "reported_at"))
        new = [FleetAlert(network_id=network_id, vehicle_id=vehicle, rule="offline", alert_type=RULES["offline"][0],
                          severity=RULES["offline"][1], message=f"No message since {seen:%Y-%m-%d %H:%M} UTC.")
               for vehicle, seen in silent]
        raised += len(FleetAlert.objects.bulk_create(new, ignore_conflicts=True))
    return raised
