"""GBFS v3.0 files of one network, built from the data the dashboard edits (docs/opendata.md).

Each builder returns the file's `data` and costs a fixed number of queries whatever the fleet's size. Stations are
our clusters (their spots are the docks); free-floating vehicles available to rent are `vehicle_status`, under ids
that change after every trip (`rotating_vehicle_id`), as the spec requires for privacy.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, FloatField, OuterRef, Subquery
from django.db.models.functions import Cast, Extract
from django.utils import timezone
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from apps.content.models import Language
from apps.fleet.models import Cluster, Maintenance, Spot, StationOutage, Vehicle, VehicleModel
from apps.geofencing.models import BorderSettings, NetworkBorder, NoParkingZone, SpeedZone, VirtualParking
from apps.networks.models import OutOfOrder
from apps.pricing.models import PricingRule
from apps.trips.models import Reservation, Trip, TripState

from .models import NetworkFeed

VERSION = "3.0"
# Seconds a consumer may keep each file (the spec's `ttl`); the realtime files are rebuilt at most this often.
TTL = {
    "gbfs": 300, "gbfs_versions": 3600, "system_information": 300, "vehicle_types": 300,
    "station_information": 60, "station_status": 10, "vehicle_status": 10, "system_pricing_plans": 300,
    "system_alerts": 60, "geofencing_zones": 300, "manifest": 300,
}
DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
# The pricing plans' descriptions per language; a language without one gets the English text (labelled with that
# language: the spec wants every declared language present).
PLAN_TEXT = {
    "en": "{unlock} {currency} to unlock, then {minute} {currency} per minute after {free} min.",
    "fr": "{unlock} {currency} au déverrouillage, puis {minute} {currency} par minute après {free} min.",
    "de": "{unlock} {currency} zum Entsperren, dann {minute} {currency} pro Minute nach {free} Min.",
    "nl": "{unlock} {currency} om te ontgrendelen, daarna {minute} {currency} per minuut na {free} min.",
    "es": "{unlock} {currency} al desbloquear, luego {minute} {currency} por minuto después de {free} min.",
    "it": "{unlock} {currency} per sbloccare, poi {minute} {currency} al minuto dopo {free} min.",
}


def languages() -> list[str]:
    """The installation's languages (apps.content); English when none is set up."""

    return list(Language.objects.order_by("iso_639_1").values_list("iso_639_1", flat=True)) or ["en"]


def localized(text: str, langs: list[str]) -> list[dict]:
    return [{"text": text, "language": lang} for lang in langs]


def timestamp(moment: datetime, tz: ZoneInfo) -> str:
    """RFC 3339 with the network's offset, as GBFS 3.0 wants every time."""
    return moment.astimezone(tz).isoformat(timespec="seconds")


_ID_KEY = hashlib.sha256(b"gbfs-vehicle-id:" + settings.SECRET_KEY.encode()).digest()


def rotating_vehicle_id(vehicle_id: int, last_trip_id: int | None) -> str:
    """A vehicle's public id until its next trip: an HMAC of the vehicle and its last trip, so no one can follow a
    vehicle (or its riders) from trip to trip; stable between trips, so planners see the same vehicle."""
    # BLAKE2b in keyed mode is a MAC (RFC 7693), and several times faster than HMAC-SHA256 for thousands of ids.
    message = f"{vehicle_id}:{last_trip_id or 0}".encode()
    return hashlib.blake2b(message, key=_ID_KEY, digest_size=10).hexdigest()


def system_information(network, langs, *, manifest_url: str) -> dict:
    feed = NetworkFeed.objects.filter(network=network).first()
    return {
        "system_id": f"fleetadmin-{network.pk}",
        "languages": langs,
        "name": localized(network.name, langs),
        "operator": localized(network.third_party.name if network.third_party_id else network.name, langs),
        "opening_hours": "24/7",
        "feed_contact_email": (feed and feed.feed_contact_email) or settings.GBFS_FEED_CONTACT_EMAIL,
        "timezone": network.timezone,
        "license_url": (feed and feed.license_url) or settings.GBFS_LICENSE_URL,
        "manifest_url": manifest_url,
    }


def _vehicle_models(network):
    return list(VehicleModel.objects.filter(vehicles__network=network, vehicles__decommissioned_at__isnull=True)
                .distinct().order_by("name"))


def vehicle_types(network, langs, *, default_plan: str | None) -> dict:
    types = []
    for model in _vehicle_models(network):
        kind = {"vehicle_type_id": str(model.pk), "form_factor": model.form_factor,
                "propulsion_type": model.propulsion_type, "name": localized(model.name, langs)}
        if model.propulsion_type != "human":
            kind["max_range_meters"] = model.max_range_meters
        if model.max_speed_kmh:
            kind["max_permitted_speed"] = model.max_speed_kmh
        if default_plan:
            kind["default_pricing_plan_id"] = default_plan
        types.append(kind)
    return {"vehicle_types": types}


def _clusters(network):
    return list(Cluster.objects.filter(network=network, decommissioned_at__isnull=True).order_by("id"))


def station_information(network, langs) -> dict:
    capacity = Counter(Spot.objects.filter(station__cluster__network=network, station__decommissioned_at__isnull=True)
                       .values_list("station__cluster_id", flat=True))
    stations = []
    for cluster in _clusters(network):
        station = {"station_id": str(cluster.pk), "name": localized(cluster.name, langs),
                   "lat": float(cluster.latitude), "lon": float(cluster.longitude),
                   "capacity": capacity.get(cluster.pk, 0)}
        if cluster.address:
            station["address"] = cluster.address
        stations.append(station)
    return {"stations": stations}


def _open_maintenance(vehicle_ref="pk"):
    return Exists(Maintenance.objects.filter(vehicle_id=OuterRef(vehicle_ref), ended_at__isnull=True))


def station_status(network, tz, *, now: datetime) -> dict:
    held = Reservation.objects.live(now).filter(vehicle_id=OuterRef("vehicle__id"))
    spots = (Spot.objects.filter(station__cluster__network=network, station__decommissioned_at__isnull=True)
             .annotate(in_maintenance=_open_maintenance("vehicle__id"), reserved=Exists(held))
             .values_list("station__cluster_id", "station_id", "vehicle__model_id", "vehicle__decommissioned_at",
                          "in_maintenance", "reserved"))
    out = set(StationOutage.objects.filter(station__cluster__network=network, ended_at__isnull=True)
              .values_list("station_id", flat=True))
    type_ids = [m.pk for m in _vehicle_models(network)]
    counts = defaultdict(Counter)
    by_type = defaultdict(Counter)
    for cluster_id, station_id, model_id, decommissioned, in_maintenance, reserved in spots:
        count = counts[cluster_id]
        if model_id is None or decommissioned is not None:  # an empty dock: available, or disabled with its station
            count["docks_disabled" if station_id in out else "docks_available"] += 1
        if model_id is not None and decommissioned is None:
            if in_maintenance:
                count["vehicles_disabled"] += 1
            elif not reserved:  # one held for a rider is neither available for rental nor disabled
                count["vehicles_available"] += 1
                by_type[cluster_id][model_id] += 1
        count["docks"] += 1
    stations = []
    for cluster in _clusters(network):
        count = counts[cluster.pk]
        working = count["docks"] > count["docks_disabled"]
        stations.append({
            "station_id": str(cluster.pk),
            "num_vehicles_available": count["vehicles_available"],
            "num_vehicles_disabled": count["vehicles_disabled"],
            "vehicle_types_available": [{"vehicle_type_id": str(pk), "count": by_type[cluster.pk][pk]}
                                        for pk in type_ids],
            "num_docks_available": count["docks_available"],
            "num_docks_disabled": count["docks_disabled"],
            "is_installed": True, "is_renting": working, "is_returning": working,
            # No station reports on its own: its status was last known to change when the file's data did.
            "last_reported": CHANGED_AT,
        })
    return {"stations": stations}


def rentable_vehicles(network):
    """Free-floating vehicles a rider could take now: positioned, undocked, in service, not on a trip, not in a
    stock; with their last trip (for the rotating id), whether a maintenance is open (disabled) and whether a rider
    holds it (reserved). Plain rows: thousands of model instances would cost more than the query."""

    under_way = Trip.objects.filter(network=network, vehicle_id=OuterRef("pk"),
                                    state__in=[TripState.RUNNING, TripState.ON_HOLD])
    last_trip = Trip.objects.filter(vehicle_id=OuterRef("pk")).order_by("-started_at", "-id").values("id")[:1]
    return (Vehicle.objects.filter(network=network, decommissioned_at__isnull=True, spot__isnull=True,
                                   latitude__isnull=False, longitude__isnull=False, stock_entry__isnull=True)
            .exclude(Exists(under_way))
            .annotate(last_trip_id=Subquery(last_trip), in_maintenance=_open_maintenance(),
                      reserved=Exists(Reservation.objects.live(timezone.now()).filter(vehicle_id=OuterRef("pk"))))
            .annotate(lat=Cast("latitude", FloatField()), lon=Cast("longitude", FloatField()),
                      reported=Extract("position_at", "epoch"))
            .order_by("id")
            .values_list("id", "lat", "lon", "battery_level", "reported", "model_id",
                         "model__propulsion_type", "model__max_range_meters", "last_trip_id", "in_maintenance",
                         "reserved"))


def vehicle_status(network, tz, *, now: datetime, plan: str | None) -> dict:
    vehicles = []
    for (pk, latitude, longitude, battery, reported, model_id, propulsion, max_range, last_trip,
         in_maintenance, reserved) in rentable_vehicles(network):
        row = {"vehicle_id": rotating_vehicle_id(pk, last_trip), "lat": latitude, "lon": longitude,
               "is_reserved": reserved, "is_disabled": bool(in_maintenance), "vehicle_type_id": str(model_id),
               "last_reported": timestamp(datetime.fromtimestamp(float(reported), tz), tz) if reported is not None
               else CHANGED_AT}
        if propulsion != "human":
            level = 100 if battery is None else battery
            row["current_range_meters"] = max_range * level // 100
            row["current_fuel_percent"] = round(level / 100, 2)
        if plan:
            row["pricing_plan_id"] = plan
        vehicles.append(row)
    return {"vehicles": vehicles}


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def pricing_rules(network) -> list:
    return list(PricingRule.objects.filter(network=network).order_by("start_dow", "start_hod", "id"))


def plan_id(rule) -> str:
    return f"rule-{rule.pk}"


def plan_in_force(rules, tz, now: datetime) -> str | None:
    """The plan of the rule whose weekly window holds `now` (network time), else the first rule's."""
    if not rules:
        return None
    local = now.astimezone(tz)
    at = ((local.isoweekday() % 7) * 86_400) + local.hour * 3600 + local.minute * 60 + local.second
    for rule in rules:
        start, end = rule.start_dow * 86_400 + rule.start_hod, rule.end_dow * 86_400 + rule.end_hod
        if (start <= at < end) if start <= end else (at >= start or at < end):
            return plan_id(rule)
    return plan_id(rules[0])


def system_pricing_plans(network, langs, rules) -> dict:
    currency = network.currency_id
    plans = []
    for rule in rules:
        figures = {"unlock": f"{rule.unlock_price:.2f}", "minute": f"{rule.use_per_minute_price:.2f}",
                   "free": rule.unlock_included_time // 60, "currency": currency}
        window = f"{DAYS[rule.start_dow]} {_hhmm(rule.start_hod)} – {DAYS[rule.end_dow]} {_hhmm(rule.end_hod)}"
        plans.append({
            "plan_id": plan_id(rule), "name": localized(window, langs), "currency": currency,
            "price": float(rule.unlock_price), "is_taxable": network.default_vat > 0,
            "description": [{"text": PLAN_TEXT.get(lang, PLAN_TEXT["en"]).format(**figures), "language": lang}
                            for lang in langs],
            "per_min_pricing": [{"start": rule.unlock_included_time // 60, "rate": float(rule.use_per_minute_price),
                                 "interval": 1}],
        })
    return {"plans": plans}


def system_alerts(network, langs, tz, *, now: datetime) -> dict:
    alerts = []
    for closure in OutOfOrder.objects.filter(network=network).exclude(end_date__lt=now).order_by("start_date", "id"):
        times = {"start": timestamp(closure.start_date, tz)}
        if closure.end_date:
            times["end"] = timestamp(closure.end_date, tz)
        summary = closure.reason or ("Closed for the winter" if closure.type == "winter" else "Service closed")
        alerts.append({"alert_id": str(closure.pk), "type": "system_closure", "times": [times],
                       "summary": localized(summary, langs), "last_updated": timestamp(closure.updated_at, tz)})
    return {"alerts": alerts}


def _feature(shaped, name: str, langs, rules: list[dict]) -> dict:
    # GeoJSON (RFC 7946): [lon, lat], exterior ring counterclockwise (the spec's "right-hand rule").
    polygon = orient(shaped.polygon, sign=1.0)
    return {"type": "Feature", "properties": {"name": localized(name, langs), "rules": rules},
            "geometry": {"type": "MultiPolygon", "coordinates": [mapping(polygon)["coordinates"]]}}


def geofencing_zones(network, langs) -> dict:
    """No-parking zones first (the first zone listed wins where zones overlap: no ride ends there, even in a speed
    zone), then speed zones and parkings, then the border; outside the border (global rules) rides may not start or
    end, and not pass through when the border locks vehicles."""

    allowed = {"ride_start_allowed": True, "ride_end_allowed": True, "ride_through_allowed": True}
    features = [_feature(zone, zone.name or "No parking", langs, [{**allowed, "ride_end_allowed": False}])
                for zone in NoParkingZone.objects.in_force().filter(network=network).order_by("id")]
    features += [_feature(zone, f"{zone.max_speed} km/h zone", langs,
                          [{**allowed, "maximum_speed_kph": zone.max_speed}])
                 for zone in SpeedZone.objects.in_force().filter(network=network).order_by("id")]
    features += [_feature(parking, f"Parking ({parking.capacity} places)", langs, [allowed])
                 for parking in VirtualParking.objects.filter(network=network).order_by("id")]
    border = NetworkBorder.objects.filter(network=network).first()
    if border is None:
        return {"geofencing_zones": {"type": "FeatureCollection", "features": features}, "global_rules": [allowed]}
    features.append(_feature(border, f"{network.name} service area", langs, [allowed]))
    beyond = BorderSettings.objects.filter(network=network).first()
    outside = {"ride_start_allowed": False, "ride_end_allowed": False,
               "ride_through_allowed": not (beyond and beyond.lock_vehicle)}
    return {"geofencing_zones": {"type": "FeatureCollection", "features": features}, "global_rules": [outside]}


def feed_names(network, rules) -> list[str]:
    """The files this network publishes (gbfs.json lists exactly these; each answers 200)."""
    names = ["system_information", "vehicle_types", "station_information", "station_status", "vehicle_status",
             "system_alerts", "geofencing_zones", "gbfs_versions"]
    if rules:
        names.append("system_pricing_plans")
    return names


# Stands for "when this file's data last changed"; the view writes that time in its place (apps.opendata.views).
CHANGED_AT = "\u0000changed-at"


def now() -> datetime:
    return timezone.now().replace(microsecond=0)
