"""The dashboard's home page: counts of the networks' fleet, trips and riders right now, and the map."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from apps.core.permissions import Scope
from apps.core.timezones import local_midnight
from apps.fleet.models import Cluster, FleetAlert, Maintenance, Spot, Station, StationOutage, Vehicle
from apps.networks.models import Network
from apps.trips import heat, rollups, stored_values
from apps.trips.models import SortedIntegersField, Trip, TripState

LOW_BATTERY = 20  # percent


def stations_overview(network_ids, scope: Scope) -> dict:
    stations = Station.objects.within(scope).filter(cluster__network_id__in=network_ids, decommissioned_at__isnull=True)
    spots = Spot.objects.filter(station__in=stations)
    counts = spots.aggregate(spot_count=Count("id"), occupied=Count("vehicle"))
    clusters = Cluster.objects.within(scope).filter(network_id__in=network_ids, decommissioned_at__isnull=True)
    return {
        "cluster_count": clusters.count(),
        "station_count": stations.count(),
        "spot_count": counts["spot_count"],
        "docked_vehicle_count": counts["occupied"],
        "free_spot_count": counts["spot_count"] - counts["occupied"],
        "stations_in_outage": StationOutage.objects.filter(station__in=stations, ended_at__isnull=True)
        .values("station_id").distinct().count(),
    }


def vehicles_overview(network_ids, scope: Scope) -> dict:
    vehicles = Vehicle.objects.filter(network_id__in=network_ids, decommissioned_at__isnull=True)
    totals = vehicles.aggregate(
        vehicle_count=Count("id"), docked=Count("id", filter=Q(spot__isnull=False)),
        free_floating=Count("id", filter=Q(spot__isnull=True)),
        low_battery=Count("id", filter=Q(battery_level__lt=LOW_BATTERY)))
    totals["in_trip"] = (Trip.objects.filter(network_id__in=network_ids, state__in=[TripState.RUNNING, TripState.ON_HOLD],
                                             vehicle__decommissioned_at__isnull=True)
                         .values("vehicle_id").distinct().count())
    totals["in_maintenance"] = Maintenance.objects.filter(vehicle__in=vehicles, ended_at__isnull=True) \
        .values("vehicle_id").distinct().count()
    totals["in_stock"] = vehicles.filter(stock_entry__isnull=False).count()
    totals["open_alerts"] = FleetAlert.objects.within(scope).filter(network_id__in=network_ids,
                                                                    resolved_at__isnull=True).count()
    totals["by_model"] = [{"model": row["model__name"], "count": row["n"]} for row in
                          vehicles.values("model__name").annotate(n=Count("id")).order_by("model__name")]
    return totals


def _day_start(tz: ZoneInfo, days_ago: int) -> datetime:
    today = timezone.now().astimezone(tz).date()
    return local_midnight(today - timedelta(days=days_ago), tz)


def trips_overview(network_ids, tz: ZoneInfo) -> dict:
    """Trips started today, yesterday, in the last 7 and 30 days (days of `tz`), and under way now: the first over
    the (network, started_at) index, the second over the partial index of trips under way."""
    today, yesterday = _day_start(tz, 0), _day_start(tz, 1)
    week, month = _day_start(tz, 6), _day_start(tz, 29)
    trips = Trip.objects.filter(network_id__in=network_ids)
    counts = trips.filter(started_at__gte=month).aggregate(
        today=Count("id", filter=Q(started_at__gte=today)),
        yesterday=Count("id", filter=Q(started_at__gte=yesterday, started_at__lt=today)),
        last_7_days=Count("id", filter=Q(started_at__gte=week)),
        last_30_days=Count("id"))
    counts.update(trips.filter(state__in=[TripState.RUNNING, TripState.ON_HOLD]).aggregate(
        running=Count("id", filter=Q(state=TripState.RUNNING)), on_hold=Count("id", filter=Q(state=TripState.ON_HOLD))))
    return counts


def users_overview(network_ids, tz: ZoneInfo) -> dict:
    """Riders who started a trip (any state) today, in 7 and 30 days; riders with a finished trip in the networks,
    and those whose first finished trip there is in the last 30 days. Each reads the stored day summaries' rider
    sets plus the trips of the days not stored (today, the unsettled days)."""
    today, week, month = _day_start(tz, 0), _day_start(tz, 6), _day_start(tz, 29)
    counts = {name: rollups.distinct_count(rollups.riders_between(network_ids, low=low, any_state=True))
              for name, low in (("active_today", today), ("active_7_days", week), ("active_30_days", month))}
    earlier, recent = rollups.riders_before(network_ids, month), rollups.riders_between(network_ids, low=month)
    counts["new_30_days"] = rollups.count_not_in(recent, earlier)
    counts["riders"] = earlier.size + counts["new_30_days"]
    return counts


def overview_map(network_ids, scope: Scope) -> dict:
    docked = Count("stations__spots__vehicle", filter=Q(stations__decommissioned_at__isnull=True))
    spots = Count("stations__spots", filter=Q(stations__decommissioned_at__isnull=True))
    clusters = (Cluster.objects.within(scope).filter(network_id__in=network_ids, decommissioned_at__isnull=True)
                .annotate(docked_vehicle_count=docked, spot_count=spots).order_by("network_id", "name", "id"))
    floating = Vehicle.objects.filter(network_id__in=network_ids, decommissioned_at__isnull=True, spot__isnull=True,
                                      latitude__isnull=False).order_by("serial_number")
    return {
        "clusters": [{"id": c.pk, "network_id": c.network_id, "name": c.name, "latitude": c.latitude,
                      "longitude": c.longitude, "docked_vehicle_count": c.docked_vehicle_count,
                      "spot_count": c.spot_count} for c in clusters],
        "vehicles": list(floating.values("id", "network_id", "serial_number", "latitude", "longitude",
                                         "battery_level")),
    }


def heatmap(trips: QuerySet, network_ids: list[int], *, lat, lng, lat_deg, lng_deg, date_min: datetime,
            date_max: datetime, zoom: int) -> list[dict]:
    """Trip starts (any state) whose grid point lies in the area, per point and month of the trip's network, from
    the first of date_min's month to date_max: the stored days' cells plus the trips those days do not cover,
    one pair of queries per time zone of the networks (apps.trips.heat)."""
    box = heat.CellBox(zoom, lat, lng, lat_deg, lng_deg)
    tally = heat.MonthTally(box)
    zones = {}
    for network_id, zone in Network.objects.filter(pk__in=network_ids).values_list("pk", "timezone"):
        zones.setdefault(zone, []).append(network_id)
    for zone, ids in sorted(zones.items()):
        tz = ZoneInfo(zone)
        low = local_midnight(date_min.astimezone(tz).date().replace(day=1), tz)
        high = date_max + timedelta(microseconds=1)
        cells_low, cells_high = box.packed_range()
        # The stored days' cells of the box's latitudes: summed per month from the process's decoded copy of the
        # days, or each day's decoded from the blocks holding them (the rows' skip index).
        stored, _rest = rollups.stored_days_and_rest(ids, ("day", "id", "computed_at"), low, high)
        kept = stored_values.month_cells([(network, *day) for network, _start, _end, day in stored],
                                         heat.PARTS[zoom], cells_low, cells_high)
        if kept is not None:
            tally.add_months(kept)
        else:
            stored, _rest = rollups.stored_days_and_rest(ids, (SortedIntegersField.raw(heat.PARTS[zoom]),), low, high)
            tally.add_days([(start.astimezone(tz).date(),
                             SortedIntegersField.decode_between(cells, cells_low, cells_high))
                            for _network, start, _end, (cells,) in stored])
        tally.add_rows(rollups.union_over_gaps(ids, stored, low, high, lambda gap: (
            trips.filter(gap, box.trips_near())
            .annotate(month=TruncMonth("started_at", output_field=DateField(), tzinfo=tz), cell=heat.cell_of_start(zoom))
            .order_by().values_list("month", "cell").annotate(n=Count("id")))))
    return tally.points()
