from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.api.pagination import Spread
from apps.core.api.params import require_ordered_ranges
from apps.core.filters import equals_any
from apps.fleet.models import Cluster, FleetAlert, Maintenance, Vehicle

from . import rollups
from .models import Trip, TripEvent, TripState
from .services import PAUSE_EVENTS, trip_segments

TRIP_FILTERS = {
    "state": "state__in",
    "start_date_min": "started_at__gte",
    "start_date_max": "started_at__lte",
    "end_date_min": "ended_at__gte",
    "end_date_max": "ended_at__lte",
    "trip_id_min": "id__gte",
    "trip_id_max": "id__lte",
    "serial_number": "vehicle__serial_number__iexact",
    # model_name arrives here as the ids of the model's vehicles (with_model_resolved).
    "model_vehicles": "vehicle_id__in",
    "demo": "demo",
    "email": "rider__email__icontains",
    "user_id": "rider_id",
    "cluster_start_name": "start_cluster__name__icontains",
    "cluster_start_id": "start_cluster_id",
    "cluster_end_name": "end_cluster__name__icontains",
    "cluster_end_id": "end_cluster_id",
    "duration_min": "duration__gte",
    "duration_max": "duration__lte",
    "distance_min": "distance__gte",
    "distance_max": "distance__lte",
}


def used_trip_filters(*, filters: dict) -> set[str]:
    """The listTrips filters the query gives, besides the networks (a model's vehicles, even none, is one)."""
    return {name for name in TRIP_FILTERS if filters.get(name) not in (None, []) or
            (name == "model_vehicles" and name in filters)}


def with_model_resolved(*, filters: dict) -> dict:
    """The filters with `model_name` turned into `model_vehicles`, the ids of that model's vehicles in any network (a
    trip keeps its vehicle when the vehicle moves), or dropped when every vehicle is of that model (then every trip
    matches). With the name joined in the query PostgreSQL could not know how many trips it matches (40,000
    estimated, 7M matching at 10M trips) and read a page of 500 vehicle by vehicle, then sorted: 53 s."""
    if filters.get("model_name") is None:
        return filters
    of_model = Q(model__name__iexact=filters["model_name"])
    fleet = Vehicle._base_manager.aggregate(ids=ArrayAgg("id", filter=of_model, default=[]),
                                            others=Count("id", filter=~of_model))
    resolved = {name: value for name, value in filters.items() if name != "model_name"}
    if fleet["others"]:
        resolved["model_vehicles"] = fleet["ids"]
    return resolved


VEHICLES_COUNTED_ON_TRIPS = 100


def _day_count(used: set[str], filters: dict) -> rollups.DayCount | None:
    """How the stored days count the trips of one kind of filter (a state, demo, a vehicle model, a duration,
    distance, id or end-time range; with or without a range of start times), or None: the filters need a
    COUNT(*)."""
    if not used:
        return rollups.every_trip()
    if used == {"state"}:
        return rollups.trips_in_states(filters["state"])
    if used == {"demo"}:
        return rollups.demo_trips(filters["demo"])
    if used == {"model_vehicles"}:
        # A model's trips: from the stored days' trips per vehicle when the model has many vehicles (a COUNT(*)
        # would read most of the network), else a COUNT(*) (a few vehicles' trips, through the vehicle index).
        vehicles = filters["model_vehicles"]
        return rollups.trips_of_vehicles(vehicles, equals_any(Trip, "vehicle_id", vehicles)) \
            if len(vehicles) > VEHICLES_COUNTED_ON_TRIPS else None
    for name, day_count in (("duration", partial(rollups.trips_with_value, "duration")),
                            ("distance", partial(rollups.trips_with_value, "distance")),
                            ("trip_id", rollups.trips_with_id), ("end_date", rollups.trips_ended)):
        if used <= {f"{name}_min", f"{name}_max"}:
            return day_count(filters.get(f"{name}_min"), filters.get(f"{name}_max"))
    return None


# A duration or distance range is counted on its (network, key, id) index (an index-only range scan, ~0.2 us a trip)
# when it holds fewer trips than this many per stored day; else from the stored days (their skip indexes, ~60 us a
# day whatever the range). Measured at 1M-7M trips: the two cost the same around 300 trips a day (Bench City's 362
# days: ~110,000 trips; Metro's 727: ~220,000): docs/performance.md.
COUNT_VALUE_RANGE_ON_INDEX_PER_STORED_DAY = 300


def trip_totals(*, network_ids: list[int], filters: dict) -> dict[int, int] | None:
    """listTrips' exact `total` of each network from the stored days and a count of the trips they do not cover (or
    that the filter cuts through), or None when the filters need (or are cheaper with) a COUNT(*) over the trips."""
    used = used_trip_filters(filters=filters) - {"start_date_min", "start_date_max"}
    for key in ("duration", "distance"):
        if used and used <= {f"{key}_min", f"{key}_max"} and COUNT_VALUE_RANGE_ON_INDEX_PER_STORED_DAY:
            estimate, days = rollups.estimated_in_value_range(network_ids, key, filters.get(f"{key}_min"),
                                                              filters.get(f"{key}_max"))
            if estimate < COUNT_VALUE_RANGE_ON_INDEX_PER_STORED_DAY * days or not days:  # none stored: a count
                return None
    matching = _day_count(used, filters)
    if matching is None:
        return None
    high = filters.get("start_date_max")
    return rollups.matching_trips_by_network(network_ids, matching, low=filters.get("start_date_min"),
                                              high=high + timedelta(microseconds=1) if high is not None else None)  # max: inclusive


def implied_bounds(*, network_ids: list[int], filters: dict) -> dict[int | None, Q]:
    """Conditions the filters already imply, given to PostgreSQL so that a page of old trips in a newest-first order
    (or of recent ones oldest first) starts reading its index where those trips are, not at the other end of the
    network's trips: the id range of the trips started (from the stored days) or ended in the asked range, for an
    id order; started_at <= end_date_max for a start-time order (a trip ends after it starts: a check constraint);
    the latest end of the trips started by start_date_max for an end-time order (when all of them have ended);
    the latest start (or end) of the trips whose ids a trip_id_max keeps, for a start-time (or end-time) order.
    They change no result. For all the networks (key None) and for each one alone (its own trips' bounds: a page
    merged from several networks walks each one's index from its own bound, not from the latest of all of them)."""
    networks = list(dict.fromkeys(network_ids))
    sort_by, descending = filters.get("sort_by"), (filters.get("sort_dir") or "DESC") == "DESC"
    if sort_by == "start_date" and descending and filters.get("end_date_max"):
        return dict.fromkeys((None, *networks), Q(started_at__lte=filters["end_date_max"]))
    if sort_by == "end_date" and descending and filters.get("start_date_max"):
        # The trips started by then ended by their latest end (the stored days know it). Only when all have ended:
        # those without an end come last, and "or no end" would keep PostgreSQL from starting the walk there.
        high = filters["start_date_max"] + timedelta(microseconds=1)
        latest = rollups.latest_starts_and_ends(networks, filters.get("start_date_min"), high)
        return _per_network(latest, lambda _started, end, endless: Q(ended_at__lte=end)
                            if end is not None and not endless else Q())
    if sort_by in ("start_date", "end_date") and descending and filters.get("trip_id_max") is not None:
        # Trips of the older ids, newest first: they started by the last day their ids reach (and ended by its
        # latest end, when all have ended), so the walk starts there rather than past every newer trip (Metro's
        # older half by end time: 146 ms, the index read through 3.5M newer entries).
        latest = rollups.latest_starts_and_ends(networks, low_id=filters.get("trip_id_min"),
                                                high_id=filters["trip_id_max"])

        def bound(started, ended, endless):
            if started is None:
                return Q(pk__in=[])
            if sort_by == "start_date":
                return Q(started_at__lte=started)
            return Q(ended_at__lte=ended) if ended is not None and not endless else Q()
        return _per_network(latest, bound)
    if sort_by:
        return dict.fromkeys((None, *networks), Q())
    descending = (filters.get("primary_key_dir") or "DESC") == "DESC"
    far_end = "max" if descending else "min"  # the bound that a walk from the near end would read past
    ranges = []
    if filters.get(f"start_date_{far_end}"):
        high = filters.get("start_date_max")
        ranges.append(rollups.id_ranges(networks, filters.get("start_date_min"),
                                        high + timedelta(microseconds=1) if high else None))
    if filters.get(f"end_date_{far_end}"):
        # Grouped by network: a plain MIN/MAX(id) becomes a walk of the primary key from its end, past every trip
        # ended since; grouped, it reads the range of the (network, ended_at, id) index.
        ended = (Trip.objects.filter(network_id__in=networks, ended_at__isnull=False)
                 .filter(rollups.inclusive("ended_at", filters.get("end_date_min"), filters.get("end_date_max")))
                 .order_by().values("network_id").annotate(low=Min("id"), high=Max("id")))
        ranges.append({row["network_id"]: (row["low"], row["high"]) for row in ended})
    bounds = dict.fromkeys((None, *networks), Q())
    for found in ranges:
        for key in bounds:
            spans = list(found.values()) if key is None else [found[key]] if key in found else []
            bounds[key] &= Q(id__gte=min(low for low, _ in spans), id__lte=max(high for _, high in spans)) if spans \
                else Q(pk__in=[])
    return bounds


def _per_network(latest: dict, bound: Callable) -> dict[int | None, Q]:
    """Each network's bound from its (latest start, latest end, some without an end), and all networks' from the
    latest of them."""
    values = [value for value in latest.values() if value[0] is not None]
    every = (max((started for started, _e, _l in values), default=None),
             max((ended for _s, ended, _l in values if ended is not None), default=None),
             any(endless for _s, _e, endless in values))
    return {None: bound(*every), **{network: bound(*value) for network, value in latest.items()}}


# A filtered list sorted by a key finds its trips and sorts them (rather than walk the key's index, filtering)
# when they are fewer than this. Higher (100,000) helped a filter sorted by a key correlated with it (short trips
# by distance) and cost far more elsewhere (the first 30 days by duration): docs/performance.md.
SORT_FOUND_ROWS_BELOW = 20_000
# Short trips sorted by distance, longest first (or the reverse pairs): long trips are far ones, so walking the
# key's index from its top reaches the first short trip after most of the network (18 s at 7M). The (network,
# duration, id) index includes the distance and the reverse: such matches are found and sorted there, whatever
# their number. Long trips by distance, longest first, are at the top of the walk: it stays.
CORRELATED_KEYS = {"distance": "duration", "duration": "distance"}


def partial_sort_index(*, filters: dict) -> str | None:
    """Which of PARTIAL_SORT_INDEXES holds exactly the trips these filters ask for (demo ones, cancelled ones)."""
    used = used_trip_filters(filters=filters)
    if used == {"demo"} and filters["demo"]:
        return "demo"
    if used == {"state"} and list(filters["state"]) == [TripState.CANCELLED]:
        return "cancelled"
    return None


def found_then_sorted_below(*, filters: dict) -> float | None:
    """keyset_page's `sort_below` for listTrips: below how many matches a filtered list sorted by a key finds its
    trips, then sorts them (a paused network's last 30 days: none), rather than walk the key's index through all
    the network's trips; None without a filter (the index order is right)."""
    used = used_trip_filters(filters=filters)
    if not used:
        return None
    if filters.get("sort_by") in ("duration", "distance") and partial_sort_index(filters=filters) is not None:
        return None  # read in order off the filter's own index (Trip.Meta: PARTIAL_SORT_INDEXES)
    other = CORRELATED_KEYS.get(filters.get("sort_by"))
    far_bound = f"{other}_max" if (filters.get("sort_dir") or "DESC") == "DESC" else f"{other}_min"
    if other and far_bound in used and used <= {f"{other}_min", f"{other}_max"}:
        return float("inf")  # any number of them: found and sorted on the covering index alone
    return SORT_FOUND_ROWS_BELOW


# The sort keys whose rows a short range of another integer column spreads over few values, each value's rows
# ordered by the key on an index (Trip.Meta: trip_duration_then_dist_idx): trips of 300 s or less by distance.
SPREAD_KEYS = {"distance": "duration"}
# Beyond this many values, the descents cost more than finding the range's rows and sorting them.
SPREAD_VALUES_AT_MOST = 1_000


def spread_of(*, filters: dict) -> Spread | None:
    """keyset_page's `spread` for listTrips: a duration range of at most SPREAD_VALUES_AT_MOST seconds, alone among
    the filters, sorted by distance, is read one duration at a time."""
    column = SPREAD_KEYS.get(filters.get("sort_by"))
    used = used_trip_filters(filters=filters)
    if column is None or filters.get(f"{column}_max") is None or not used <= {f"{column}_min", f"{column}_max"}:
        return None
    low, high = filters.get(f"{column}_min") or 0, filters[f"{column}_max"]
    return Spread(column=column, low=low, high=high) if 0 <= high - low < SPREAD_VALUES_AT_MOST else None


def trip_conditions(*, filters: dict) -> dict[int | None, Q]:
    """listTrips filters (the networks are applied by the view, inside the caller's scope) as one condition for all
    the asked networks (key None) and one for each network alone (a page merged from several networks reads each
    one's part with it), their lookups resolved once: bounds inclusive, names and emails by substring
    (case-insensitive), serial numbers and model names exactly (case-insensitive)."""
    require_ordered_ranges(filters, "start_date", "end_date", "trip_id", "duration", "distance")
    networks = list(dict.fromkeys(filters["networks"]))
    by_name = {f"cluster_{side}_name" for side in ("start", "end")}
    skipped = by_name | {"model_vehicles", "serial_number"}
    common = Q(**{lookup: filters[name] for name, lookup in TRIP_FILTERS.items()
                  if name not in skipped and filters.get(name) not in (None, [])})
    if "model_vehicles" in filters:  # one array parameter, however many vehicles (an empty one matches nothing)
        common &= equals_any(Trip, "vehicle_id", filters["model_vehicles"])
    if "serial_number" in used_trip_filters(filters=filters):
        # The vehicle first (serial numbers are unique; a trip keeps its vehicle when the vehicle moves), then its
        # trips by id, as for cluster names: joined on the serial, PostgreSQL guessed 17,000 of Metro's trips for a
        # vehicle's 1,416 and walked the network's id index through 117,000 of them for a page (300 ms, 1.9 s cold).
        vehicles = Vehicle._base_manager.filter(serial_number__iexact=filters["serial_number"]).order_by()
        common &= Q(vehicle_id__in=list(vehicles.values_list("id", flat=True)))
    conditions = {key: common for key in (None, *networks)}
    for name in by_name & used_trip_filters(filters=filters):
        # Cluster names are looked up first, among the clusters of the asked networks (a trip starts and ends at its
        # network's clusters): `cluster_id IN (the matching clusters)` reads each cluster's index range, where a join
        # on the name had PostgreSQL read far more of the trips. Each network's part names its own clusters only:
        # given every network's, PostgreSQL guessed the clusters' trips of all networks and intersected them with
        # the network's million entries (docs/performance.md, issue 38).
        clusters = list(Cluster.objects.filter(network_id__in=networks, name__icontains=filters[name])
                        .values_list("id", "network_id"))
        column = f"{name.split('_')[1]}_cluster_id__in"
        for key in conditions:
            conditions[key] &= Q(**{column: [pk for pk, network in clusters if key is None or network == key]})
    return conditions


# --- one vehicle's history -------------------------------------------------------------------------------

TIMELINE_PAGE_SIZE = 50


@dataclass
class TimelineEvent:
    """One line of a vehicle's timeline; `date` is what the keyset (`before_date`) pages on."""

    type: str  # trip | parking | maintenance-start | maintenance-end
    date: datetime
    end_date: datetime | None = None
    trip: Trip | None = None
    maintenance: Maintenance | None = None
    cluster: Cluster | None = None


def vehicle_timeline(*, vehicle, visible: Callable[[QuerySet], QuerySet], before: datetime | None,
                     size: int = TIMELINE_PAGE_SIZE) -> list[TimelineEvent]:
    """The `size` latest events strictly before `before`, newest first: trips, the parkings between them
    (from a trip's end to the next trip's start, open while the vehicle still stands) and maintenances
    opened and closed. Four bounded queries.

    `visible` limits any queryset to the caller's scope. Every part of the history goes through it, the next
    trip's start included: a vehicle moved from another network keeps that network's history there."""
    def before_(field):
        return {f"{field}__lt": before} if before else {}

    trips = visible(Trip.objects.filter(vehicle=vehicle))
    next_start = Subquery(visible(Trip.objects.filter(vehicle=OuterRef("vehicle"), started_at__gt=OuterRef("started_at")))
                          .order_by("started_at").values("started_at")[:1])
    rides = trips.filter(**before_("started_at")).select_related("start_cluster", "end_cluster").order_by("-started_at")
    stops = (trips.filter(state=TripState.FINISHED, **before_("ended_at")).select_related("end_cluster")
             .annotate(next_start=next_start).order_by("-ended_at"))
    repairs = visible(Maintenance.objects.filter(vehicle=vehicle)).select_related("type")
    events = [TimelineEvent("trip", t.started_at, t.ended_at, trip=t, cluster=t.start_cluster) for t in rides[:size]]
    events += [TimelineEvent("parking", t.ended_at, t.next_start, trip=t, cluster=t.end_cluster) for t in stops[:size]]
    events += [TimelineEvent("maintenance-start", m.started_at, m.ended_at, maintenance=m)
               for m in repairs.filter(**before_("started_at")).order_by("-started_at")[:size]]
    events += [TimelineEvent("maintenance-end", m.ended_at, maintenance=m)
               for m in repairs.filter(ended_at__isnull=False, **before_("ended_at")).order_by("-ended_at")[:size]]
    events.sort(key=lambda e: e.date, reverse=True)
    return events[:size]


def vehicle_statistics(*, vehicle, visible: Callable[[QuerySet], QuerySet]) -> dict:
    """Usage of a vehicle over its life in the networks the caller sees (`visible` limits a queryset to them):
    finished trips, distance, time ridden, revenue per currency (a vehicle may have served networks of different
    currencies), its maintenances and open alerts."""
    finished = visible(Trip.objects.filter(vehicle=vehicle)).filter(state=TripState.FINISHED)
    totals = finished.aggregate(trip_count=Count("id"), total_distance=Coalesce(Sum("distance"), 0),
                                total_duration=Coalesce(Sum("duration"), 0), first_trip_date=Min("started_at"),
                                last_trip_date=Max("started_at"))
    revenue = (finished.values(currency=F("network__currency_id")).annotate(amount=Sum("amount"))
               .order_by("currency"))
    maintenances = visible(Maintenance.objects.filter(vehicle=vehicle))
    alerts = visible(FleetAlert.objects.filter(vehicle=vehicle, resolved_at__isnull=True))
    return {
        **totals,
        **maintenances.aggregate(maintenance_count=Count("id"),
                                 open_maintenance_count=Count("id", filter=Q(ended_at__isnull=True))),
        "revenue": list(revenue),
        "last_maintenance": maintenances.select_related("type").order_by("-started_at", "-id").first(),
        "open_alert_count": alerts.count(),
    }


def show_live_durations(*, trips, now=None) -> None:
    """Set `running_duration` of the trips under way to the seconds ridden so far (pauses excluded), from one
    query over their pause events; the stored value is written when the trip ends."""
    under_way = [t for t in trips if t.ended_at is None and t.state in (TripState.RUNNING, TripState.ON_HOLD)]
    if not under_way:
        return
    now = now or timezone.now()
    events: dict[int, list] = {t.pk: [] for t in under_way}
    for event in (TripEvent.objects.filter(trip__in=under_way, type__in=PAUSE_EVENTS).order_by("timestamp", "id")):
        events[event.trip_id].append(event)
    for trip in under_way:
        segments = trip_segments(trip=trip, end=max(now, trip.started_at), events=events[trip.pk])
        trip.running_duration = int(sum((s.end - s.start).total_seconds() for s in segments if s.kind == "use"))
