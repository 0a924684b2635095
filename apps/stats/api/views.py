from datetime import date
from zoneinfo import ZoneInfo

from rest_framework import serializers

from apps.core.exceptions import ValidationFailed
from apps.core.api.outputs import IdNameOut
from apps.core.api.params import CatalogSerializer, QueryListField
from apps.core.api.views import OperationView
from apps.fleet.models import Cluster
from apps.netconfig.models import NetworkAccessRule
from apps.networks.models import Network
from apps.organizations.models import Organization
from apps.trips import rollups, stored_values
from apps.trips.models import Trip
from apps.trips.rollups import DISTANCE_BUCKETS, DURATION_BUCKETS

from .. import daily, overview, selectors
from . import outputs


class OrganizationsFilterField(QueryListField):
    """`organizations=1,5` (riders of these), `organizations=null` (riders of none), absent (everyone)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, **kwargs)

    def to_internal_value(self, data):
        return "null" if data == ["null"] else super().to_internal_value(data)


class StatsView(OperationView):
    """A statistic over the finished trips of `networks` started from `start_date` to `end_date` (inclusive days
    of the requested time zone), optionally only of riders of some organizations (or of none).

    Answered from the day summaries (`from_days`) when they can answer, else by aggregating the trips
    (`from_trips`); both give the same numbers (see apps.trips.rollups)."""

    queryset = Trip.objects.all()
    parts: tuple[str, ...] = ()  # what the day summaries must carry for this statistic
    encoded: tuple[str, ...] = ()  # parts it reads as stored (rollups.trip_days)
    kept: tuple[str, ...] = ()  # parts it reads from the process's decoded copy (apps.trips.stored_values)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        operation_id = cls.operations["GET"]
        query = type(f"{operation_id[0].upper()}{operation_id[1:]}Query", (CatalogSerializer,), {
            "operation_id": operation_id, "location": "query", "organizations": OrganizationsFilterField()})
        cls.query_serializers = {"GET": query}

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.query["timezone"])

    def period(self) -> tuple[date, date]:
        start, end = self.query["start_date"], self.query["end_date"]
        if end < start:
            raise ValidationFailed.on("end_date", "end_date must not be before start_date.")
        return start, end

    def get(self, request):
        start, end = self.period()
        trips = self.get_network_queryset()  # checks that every network is in scope (-4)
        days = None
        if not self.query.get("organizations"):
            # With the process's decoded copy of the stored days, the parts it keeps are fetched only if it refuses.
            days = rollups.trip_days(self.query["networks"], start, end, self.tz, self.parts, encoded=self.encoded,
                                     kept=self.kept if stored_values.enabled() else ())
        if days is not None:
            return self.respond(self.from_days(days))
        return self.respond(self.from_trips(selectors.period_trips(
            trips=trips, start_date=start, end_date=end, tz=self.tz, organizations=self.query.get("organizations"))))

    def from_days(self, days: list):
        raise NotImplementedError

    def from_trips(self, trips):
        raise NotImplementedError


class UsageStats(StatsView):
    operations = {"GET": "getUsageStats"}
    output_serializers = {"GET": outputs.UsagePeriodOut(many=True)}
    parts = ("riders",)

    def from_days(self, days):
        return daily.usage_by_period(days, start_date=self.query["start_date"], end_date=self.query["end_date"])

    def from_trips(self, trips):
        return selectors.usage_by_period(trips=trips, start_date=self.query["start_date"], end_date=self.query["end_date"],
                                         tz=self.tz)


class UsageStatsSummary(StatsView):
    operations = {"GET": "getUsageStatsSummary"}
    output_serializers = {"GET": outputs.UsageSummaryOut()}
    parts, encoded, kept = daily.SUMMARY_PARTS, daily.SUMMARY_ENCODED, daily.SUMMARY_KEPT

    def from_days(self, days):
        return daily.usage_summary(days)

    def from_trips(self, trips):
        return selectors.usage_summary(trips=trips)


class TripsByDow(StatsView):
    operations = {"GET": "getTripsByDow"}
    output_serializers = {"GET": outputs.DowOut(many=True)}

    def from_days(self, days):
        return daily.trips_by_dow(days)

    def from_trips(self, trips):
        return selectors.trips_by_dow(trips=trips, tz=self.tz)


class TripsByTimeOfDay(StatsView):
    operations = {"GET": "getTripsByTimeOfDay"}
    output_serializers = {"GET": outputs.HourOut(many=True)}
    parts = ("hours",)

    def from_days(self, days):
        return daily.trips_by_hour(days)

    def from_trips(self, trips):
        return selectors.trips_by_hour(trips=trips, tz=self.tz)


class TripDistanceDistribution(StatsView):
    operations = {"GET": "getTripDistanceDistribution"}
    output_serializers = {"GET": outputs.BucketOut(many=True)}
    parts = ("distance_histogram",)

    def from_days(self, days):
        return daily.distribution(days, "distance_histogram", DISTANCE_BUCKETS)

    def from_trips(self, trips):
        return selectors.distribution(trips=trips, field="distance", buckets=DISTANCE_BUCKETS)


class TripDurationDistribution(StatsView):
    operations = {"GET": "getTripDurationDistribution"}
    output_serializers = {"GET": outputs.BucketOut(many=True)}
    parts = ("duration_histogram",)

    def from_days(self, days):
        return daily.distribution(days, "duration_histogram", DURATION_BUCKETS)

    def from_trips(self, trips):
        return selectors.distribution(trips=trips, field="duration", buckets=DURATION_BUCKETS)


class StationDistribution(StatsView):
    operations = {"GET": "getStationDistribution"}
    output_serializers = {"GET": outputs.StationCountOut(many=True)}
    parts = ("station_trips",)

    def clusters(self):
        # Per-cluster rows: a grant limited to some clusters gets those clusters' rows only.
        return self.scoped(Cluster.objects.filter(network_id__in=self.query["networks"]))

    def from_days(self, days):
        return daily.station_distribution(days, self.clusters())

    def from_trips(self, trips):
        return selectors.station_distribution(trips=trips, clusters=self.clusters())


class UsageStatsOrganizations(OperationView):
    """Organizations of the networks: those of the owner third parties and those named in access rules."""

    operations = {"GET": "listUsageStatsOrganizations"}
    output_serializers = {"GET": IdNameOut(many=True)}
    queryset = Network.objects.all()

    def get(self, request):
        networks = self.get_queryset().filter(pk__in=self.query["networks"])
        self.require_networks(self.query["networks"])
        owners = networks.values("third_party_id")
        ruled = NetworkAccessRule.objects.filter(network__in=networks, organization__isnull=False).values("organization_id")
        organizations = Organization.objects.filter(third_party_id__in=owners) | Organization.objects.filter(pk__in=ruled)
        return self.respond([{"id": o.pk, "name": o.name} for o in organizations.distinct().order_by("name", "id")])


class OverviewView(OperationView):
    """Home-page counts of the `networks` (all inside the caller's scope, -4 otherwise). Counts of cluster-level
    objects (stations, spots, cluster alerts) are limited to the caller's clusters where its grant is."""

    queryset = Network.objects.all()

    def network_ids(self) -> list[int]:
        self.require_networks(self.query["networks"])
        return list(self.get_queryset().filter(pk__in=self.query["networks"]).values_list("pk", flat=True))


class OverviewStations(OverviewView):
    operations = {"GET": "getOverviewStations"}
    output_serializers = {"GET": outputs.StationsOverviewOut()}

    def get(self, request):
        return self.respond(overview.stations_overview(self.network_ids(), self.scope))


class OverviewVehicles(OverviewView):
    operations = {"GET": "getOverviewVehicles"}
    output_serializers = {"GET": outputs.VehiclesOverviewOut()}

    def get(self, request):
        return self.respond(overview.vehicles_overview(self.network_ids(), self.scope))


class OverviewTrips(OverviewView):
    operations = {"GET": "getOverviewTrips"}
    output_serializers = {"GET": outputs.TripsOverviewOut()}

    def get(self, request):
        return self.respond(overview.trips_overview(self.network_ids(), ZoneInfo(self.query["timezone"])))


class OverviewUsers(OverviewView):
    operations = {"GET": "getOverviewUsers"}
    output_serializers = {"GET": outputs.UsersOverviewOut()}

    def get(self, request):
        return self.respond(overview.users_overview(self.network_ids(), ZoneInfo(self.query["timezone"])))


class OverviewMap(OverviewView):
    operations = {"GET": "getOverviewMap"}
    output_serializers = {"GET": outputs.OverviewMapOut()}

    def get(self, request):
        return self.respond(overview.overview_map(self.network_ids(), self.scope))


class Heatmap(OperationView):
    operations = {"GET": "getHeatmap"}
    output_serializers = {"GET": outputs.HeatPointOut(many=True)}
    queryset = Trip.objects.all()

    def get(self, request):
        q = self.query
        if q["date_max"] < q["date_min"]:
            raise ValidationFailed.on("date_max", "date_max must not be before date_min.")
        return self.respond(overview.heatmap(self.get_network_queryset(), q["networks"], lat=q["lat"], lng=q["lng"],
                                             lat_deg=q["latDeg"], lng_deg=q["lngDeg"], date_min=q["date_min"],
                                             date_max=q["date_max"], zoom=q["zoom"]))
