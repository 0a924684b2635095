"""Usage statistics against an independent computation in Python over the same trips, with a day boundary in a
non-UTC time zone and a daylight-saving change inside the period."""
import random
import statistics
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.core.testing.responses import code, fields_of
from apps.fleet.tests.factories import make_cluster, make_vehicle
from apps.netconfig.models import NetworkAccessRule
from apps.networks.tests.factories import make_network
from apps.organizations.tests.factories import make_organization
from apps.trips import rollups
from apps.trips.rollups import DISTANCE_BUCKETS, DURATION_BUCKETS
from apps.trips.models import PaymentMode, Trip
from apps.trips.tests.factories import make_rider, make_trip

API = "/api/dashboard/v1/usage-stats"
PARIS = ZoneInfo("Europe/Paris")
PERIOD = {"start_date": "2026-03-20", "end_date": "2026-04-05", "timezone": "Europe/Paris"}  # DST on 03-29


def _networked():
    return {"networks": str(make_trip().network_id)}


CASES = [OperationCase(op, lambda: Request(query={**_networked(), **PERIOD})) for op in (
    "getUsageStats", "getUsageStatsSummary", "getTripsByDow", "getTripsByTimeOfDay", "getTripDistanceDistribution",
    "getTripDurationDistribution", "getStationDistribution")]
CASES.append(OperationCase("listUsageStatsOrganizations", lambda: Request(query=_networked())))

globals().update(contract_tests(CASES))


@pytest.fixture(params=["from trips", "from days computed", "from days stored"])
def fleet(request, db, settings):
    """80 trips around the period's edges and the DST change, riders in and out of an organization; each test
    runs with the statistics aggregating the trips, reading day summaries computed on the fly, and reading
    stored ones (apps.trips.rollups): all three must give the numbers Python gives."""
    settings.TRIP_STATS_ROLLUPS = request.param != "from trips"
    rng = random.Random(7)
    network = make_network(timezone="Europe/Paris")
    organization = make_organization()
    riders = [make_rider() for _ in range(12)]
    organization.members.set(riders[:4])
    clusters = [make_cluster(network=network) for _ in range(3)]
    vehicles = [make_vehicle(network=network) for _ in range(6)]
    moments = [datetime(2026, 3, 19, 23, 30, tzinfo=timezone.utc),  # 00:30 on the 20th in Paris: inside
               datetime(2026, 3, 19, 22, 59, tzinfo=timezone.utc),  # 23:59 on the 19th in Paris: outside
               datetime(2026, 4, 5, 21, 59, tzinfo=timezone.utc),  # 23:59 on 04-05 (summer time): inside
               datetime(2026, 4, 5, 22, 0, tzinfo=timezone.utc),  # 00:00 on 04-06: outside
               datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc),  # 01:30 winter time, just before the change
               datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)]  # 03:30 summer time, just after
    moments += [datetime(2026, 3, 18, tzinfo=timezone.utc) + timedelta(minutes=rng.randint(0, 20 * 24 * 60))
                for _ in range(74)]
    for moment in moments:
        make_trip(network=network, rider=rng.choice(riders), vehicle=rng.choice(vehicles), started_at=moment,
                  ended_at=moment + timedelta(minutes=10), duration=rng.randint(30, 5000),
                  distance=rng.randint(0, 15000), payment_mode=rng.choice(PaymentMode.values),
                  start_cluster=rng.choice(clusters + [None]), end_cluster=rng.choice(clusters + [None]))
    make_trip(network=network, started_at=moments[0], state="cancelled", ended_at=None)  # never counted
    make_trip(started_at=moments[0])  # another network
    if request.param == "from days stored":
        assert rollups.fill(network) > 0
    return network, organization


def in_period(trips, organizations=None):
    low, high = date(2026, 3, 20), date(2026, 4, 5)
    kept = [t for t in trips if t.state == "finished" and low <= t.started_at.astimezone(PARIS).date() <= high]
    if organizations == "null":
        kept = [t for t in kept if not t.rider.organizations.exists()]
    elif organizations:
        kept = [t for t in kept if t.rider.organizations.filter(pk__in=organizations).exists()]
    return kept


def get(client, path, network, **extra):
    response = client.get(f"{API}{path}", {"networks": network.pk, **PERIOD, **extra})
    assert code(response) == 0, response.json()
    return response.json()["data"]


def test_usage_by_day_matches_python(admin_client, fleet):
    network, _ = fleet
    expected = in_period(Trip.objects.filter(network=network).select_related("rider"))
    data = get(admin_client, "", network)
    assert data[0]["period"] == "day" and len(data) == 17  # 17 days, each listed, empty ones as 0
    per_day = Counter(t.started_at.astimezone(PARIS).date().isoformat() for t in expected)
    users = {}
    for t in expected:
        users.setdefault(t.started_at.astimezone(PARIS).date().isoformat(), set()).add(t.rider_id)
    assert {row["date"]: row["trip_count"] for row in data if row["trip_count"]} == dict(per_day)
    assert {row["date"]: row["unique_users"] for row in data if row["unique_users"]} == {k: len(v) for k, v in users.items()}


def test_grouping_follows_the_period_length(admin_client, fleet):
    network, _ = fleet
    weeks = get(admin_client, "", network, start_date="2026-01-01", end_date="2026-04-30")
    assert weeks[0]["period"] == "week" and weeks[0]["date"] == "2025-12-29"  # ISO weeks start on Monday
    months = get(admin_client, "", network, start_date="2025-06-01", end_date="2026-05-31")
    assert months[0]["period"] == "month" and [m["date"] for m in months][-3:] == ["2026-03-01", "2026-04-01",
                                                                                   "2026-05-01"]
    total = len(in_period(Trip.objects.filter(network=network)))
    assert sum(m["trip_count"] for m in months) >= total
    quarters = get(admin_client, "", network, start_date="2024-01-01", end_date="2026-12-31")
    assert quarters[0]["period"] == "quarter" and len(quarters) == 12


def test_summary_matches_python(admin_client, fleet, django_assert_max_num_queries):
    network, organization = fleet
    for organizations in (None, [organization.pk], "null"):
        expected = in_period(Trip.objects.filter(network=network).select_related("rider"), organizations)
        extra = {} if organizations is None else {"organizations": "null" if organizations == "null" else organization.pk}
        # zones, stored days, the other days, access log (3); a process's first read: the days' values and sets (4)
        with django_assert_max_num_queries(10):
            data = get(admin_client, "/summary", network, **extra)
        distances, durations = [t.distance for t in expected], [t.duration for t in expected]
        assert data == {
            "trip_count": len(expected), "unique_users": len({t.rider_id for t in expected}),
            "rented_vehicles": len({t.vehicle_id for t in expected}),
            "total_distance": sum(distances), "average_distance": round(statistics.mean(distances)),
            "median_distance": round(statistics.median(distances)), "max_distance": max(distances),
            "total_duration": sum(durations), "average_duration": round(statistics.mean(durations)),
            "median_duration": round(statistics.median(durations)), "max_duration": max(durations)}, organizations


def test_day_of_week_and_hour_match_python(admin_client, fleet):
    network, _ = fleet
    expected = in_period(Trip.objects.filter(network=network))
    dows = Counter(t.started_at.astimezone(PARIS).isoweekday() % 7 for t in expected)
    hours = Counter(t.started_at.astimezone(PARIS).hour for t in expected)
    assert get(admin_client, "/dow", network) == [{"dow": d, "trip_count": dows.get(d, 0)} for d in range(7)]
    assert get(admin_client, "/time-of-day", network) == [{"hour": h, "trip_count": hours.get(h, 0)} for h in range(24)]
    assert hours[1] >= 1 and hours[3] >= 1  # both sides of the change are at their local hour


@pytest.mark.parametrize("path, field, buckets", [("/distance", "distance", DISTANCE_BUCKETS),
                                                   ("/duration", "duration", DURATION_BUCKETS)])
def test_distributions_match_python(admin_client, fleet, path, field, buckets):
    network, _ = fleet
    expected = in_period(Trip.objects.filter(network=network))
    data = get(admin_client, path, network)
    for index, row in enumerate(data):
        low, high = buckets[index], buckets[index + 1]
        inside = [t for t in expected if getattr(t, field) >= low and (high is None or getattr(t, field) < high)]
        assert (row["min"], row["max"]) == (low, high)
        assert row["counts"] == {mode: sum(t.payment_mode == mode for t in inside) for mode in PaymentMode.values}
    assert sum(sum(row["counts"].values()) for row in data) == len(expected)


def test_station_distribution_matches_python(admin_client, fleet):
    network, _ = fleet
    expected = in_period(Trip.objects.filter(network=network))
    data = get(admin_client, "/stations", network)
    assert len(data) == 3
    for row in data:
        assert row["started"] == sum(t.start_cluster_id == row["cluster"]["id"] for t in expected)
        assert row["ended"] == sum(t.end_cluster_id == row["cluster"]["id"] for t in expected)


def test_organizations_of_the_networks(admin_client, fleet):
    network, organization = fleet
    ruled = make_organization(name="Acme")
    NetworkAccessRule.objects.create(network=network, organization=ruled)
    network.third_party = organization.third_party
    network.save()
    make_organization(name="Elsewhere")
    data = admin_client.get(f"{API}/organizations", {"networks": network.pk}).json()["data"]
    assert [o["id"] for o in data] == sorted([organization.pk, ruled.pk],
                                             key=lambda pk: [o.name for o in (organization, ruled) if o.pk == pk][0])


@pytest.mark.parametrize("query, field", [
    ({"end_date": "2026-03-19"}, "end_date"), ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"organizations": "abc"}, "organizations"), ({"organizations": "0"}, "organizations"),
])
def test_period_and_filters_are_validated(admin_client, fleet, query, field):
    network, _ = fleet
    response = admin_client.get(f"{API}/summary", {"networks": network.pk, **PERIOD, **query})
    assert code(response) == -2 and any(name.split(".")[0] == field for name in fields_of(response))


def test_a_rider_in_several_filtered_organizations_counts_once(admin_client, db):
    network, rider = make_network(timezone="Europe/Paris"), make_rider()
    first, second = make_organization(), make_organization()
    first.members.add(rider)
    second.members.add(rider)
    make_trip(network=network, rider=rider, started_at=datetime(2026, 3, 25, 10, tzinfo=timezone.utc))
    both = f"{first.pk},{second.pk}"
    assert get(admin_client, "/summary", network, organizations=both)["trip_count"] == 1
    assert sum(day["trip_count"] for day in get(admin_client, "", network, organizations=both)) == 1
