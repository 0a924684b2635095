"""The stats operations of the seed's dashboard catalog, declared in Python beside their views: each input with the rule
the API enforces, the OpenAPI document shows and the generated tests violate (apps.core.catalog.declare).

Generated once from docs/api/operations.json on 2026-12-04 and owned here since; apps/core/tests/test_conformance.py
holds them to the contract's catalog, operation by operation."""
from apps.core.catalog import array, declare, integer, number, param, string
from apps.core.enums import TIMEZONES

# The networks, range, time zone and organizations every statistic is read over.
STATS_FILTERS = (
    param("networks", "query", array(integer(minimum=1)), required=True,
          doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
               "ids Identifier of networks of which to get trips.")),
    param("start_date", "query", string(fmt="date"), required=True, doc="The start date of the period."),
    param("end_date", "query", string(fmt="date"), required=True,
          doc="The end date of the period. Should be after the start_date."),
    param("timezone", "query", string(enum=TIMEZONES), required=True,
          doc="The timezone of the user making the request."),
    param("organizations", "query", array(integer(minimum=1)),
          doc=("Examples:   • organizations=5 - With one organization id   • organizations=1,5,7 - With "
               "multiple organizations ids   • organizations=null - Without organization only Filter by "
               "identifier of organizations of which to get trips. Set to 'null' to get trips from user "
               "without organization. Ignore to get trips from all users.")),
)


declare("getHeatmap", "GET", "/heatmap",
        api="dashboard", tag="Heatmap", access="permission", permission="trips",
        summary="Get heatmap",
        description="Return the list of points to make a heatmap.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id.   • networks=1,5,7 - With multiple networks "
                       "id. Identifier of networks of which to get the offers.")),
            param("lat", "query", number(minimum=-90, maximum=90), required=True,
                  doc="The latitude of the center of the area in which to get points."),
            param("lng", "query", number(minimum=-180, maximum=180), required=True,
                  doc="The longitude of the center of the area in which to get points."),
            param("latDeg", "query", number(minimum=-90, maximum=90), required=True,
                  doc=("The number of latitude degree of the area in which to get points. Can be compared to the "
                       "height of the area.")),
            param("lngDeg", "query", number(minimum=-180, maximum=180), required=True,
                  doc=("The number of longitude degree of the area in which to get points. Can be compared to the "
                       "width of the area.")),
            param("date_min", "query", string(fmt="datetime"), required=True,
                  doc=("The minimum start date of points to show. Rounded by month, every points made in a month are"
                       " given the first day of the month as a date.")),
            param("date_max", "query", string(fmt="datetime"), required=True,
                  doc=("The maximum start date of points to show. Rounded by month, every points made in a month are"
                       " given the first day of the month as a date.")),
            param("zoom", "query", integer(enum=(0, 1, 2)), required=True,
                  doc="The zoom level, change the points precision. 0 -> x.xxx, 1 -> x.xxx(0|5), 2 -> x.xxxx"),
        ))

declare("getOverviewStations", "GET", "/overview/stations",
        api="dashboard", tag="Overview", access="permission", permission="dashboard.access",
        summary="Get stations info",
        description="Return stats on the stations of specified networks.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get trips.")),
        ))

declare("getOverviewVehicles", "GET", "/overview/vehicles",
        api="dashboard", tag="Overview", access="permission", permission="dashboard.access",
        summary="Get vehicles info",
        description="Return stats on the vehicles of specified networks.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get trips.")),
        ))

declare("getOverviewTrips", "GET", "/overview/trips",
        api="dashboard", tag="Overview", access="permission", permission="dashboard.access",
        summary="Get trips info",
        description="Return stats on the trips of specified networks.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get trips.")),
            param("timezone", "query", string(enum=TIMEZONES), required=True,
                  doc="The timezone of the user making the request."),
        ))

declare("getOverviewUsers", "GET", "/overview/users",
        api="dashboard", tag="Overview", access="permission", permission="dashboard.access",
        summary="Get users info",
        description="Return stats on the users of specified networks.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get users.")),
            param("timezone", "query", string(enum=TIMEZONES), required=True,
                  doc="The timezone of the user making the request."),
        ))

declare("getOverviewMap", "GET", "/overview/map",
        api="dashboard", tag="Overview", access="permission", permission="dashboard.access",
        summary="Get map info",
        description="Return info of the stations of specified networks to display on the map.",
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get users.")),
        ))

declare("getUsageStats", "GET", "/usage-stats",
        api="dashboard", tag="UsageStats", access="permission", permission="trips",
        summary="Get usage stats",
        description=("Return number of trips and unique users grouped by day, week, month or quarter (depending on"
                     " the period between the requested dates)."),
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            *STATS_FILTERS,
        ))

declare("getUsageStatsSummary", "GET", "/usage-stats/summary",
        api="dashboard", tag="UsageStats", access="permission", permission="trips",
        summary="Get usage stats summary",
        description=("Return usage stats (total trips, unique users, rented vehicle ; total, average, median and "
                     "max distance of trips ; total, average median and max duration of trips) in the requested "
                     "period."),
        response_sample='{ "code": 0, "data": {...} }',
        params=(
            *STATS_FILTERS,
        ))

declare("getTripsByDow", "GET", "/usage-stats/dow",
        api="dashboard", tag="UsageStats", access="permission", permission="trips",
        summary="Get trips by dow",
        description="Return number of trips by day of the week in the requested period.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            *STATS_FILTERS,
        ))

declare("getTripsByTimeOfDay", "GET", "/usage-stats/time-of-day",
        api="dashboard", tag="UsageStats", access="permission", permission="trips",
        summary="Get trips by time of day",
        description="Return number of trips by time of day in the requested period.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            *STATS_FILTERS,
        ))

declare("getTripDistanceDistribution", "GET", "/usage-stats/distance",
        api="dashboard", tag="UsageStats", access="permission", permission="trips",
        summary="Get trip distance distribution",
        description="Return number of trips by range of distance and payment mode in the requested period.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            *STATS_FILTERS,
        ))

declare("getTripDurationDistribution", "GET", "/usage-stats/duration",
        api="dashboard", tag="UsageStats", access="permission", permission="trips",
        summary="Get trip duration distribution",
        description="Return number of trips by range of duration and payment mode in the requested period.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            *STATS_FILTERS,
        ))

declare("getStationDistribution", "GET", "/usage-stats/stations",
        api="dashboard", tag="UsageStats", access="permission", permission="trips",
        summary="Get station distribution",
        description="Return number of started / ended for each station in the requested period.",
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            *STATS_FILTERS,
        ))

declare("listUsageStatsOrganizations", "GET", "/usage-stats/organizations",
        api="dashboard", tag="UsageStats", access="permission", permission="trips",
        summary="Get usage stats organizations",
        description=("Return the list of organizations present on the requested networks for which the user has "
                     "permission."),
        response_sample='{ "code": 0, "data": [...] }',
        params=(
            param("networks", "query", array(integer(minimum=1)), required=True,
                  doc=("Examples:   • networks=5 - With one network id   • networks=1,5,7 - With multiple networks "
                       "ids Identifier of networks of which to get trips.")),
        ))
