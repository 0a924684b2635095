"""Stored day summaries: what is stored and when, that a trip write drops the day it touches and has it
recomputed, and when the statistics read the trips instead."""
import zlib
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone as django_timezone

from apps.core.testing.responses import code
from apps.stats import daily
from apps.networks.tests.factories import make_network
from apps.trips import rollups, tasks
from apps.trips.models import Trip, TripDay
from apps.fleet.tests.factories import make_vehicle
from apps.trips.tests.factories import make_trip

API = "/api/dashboard/v1/usage-stats"
PARIS = ZoneInfo("Europe/Paris")
MARCH_10 = datetime(2026, 3, 10, 9, tzinfo=timezone.utc)  # a settled day


def summary(client, network, **query):
    params = {"networks": network.pk, "start_date": "2026-03-01", "end_date": "2026-03-31",
              "timezone": network.timezone, **query}
    response = client.get(f"{API}/summary", params)
    assert code(response) == 0, response.json()
    return response.json()["data"]


@pytest.fixture
def network(db):
    return make_network(timezone="Europe/Paris")


def test_fill_stores_each_settled_day_from_the_first_trip_on_and_only_once(network):
    make_trip(network=network, started_at=MARCH_10)
    make_trip(network=network, started_at=django_timezone.now() - timedelta(hours=1))  # today: not settled
    stored = rollups.fill(network)
    last = rollups.last_settled_day(PARIS)
    assert stored == (last - date(2026, 3, 10)).days + 1
    days = TripDay.objects.filter(network=network)
    assert days.get(day=date(2026, 3, 10)).trip_count == 1
    assert days.filter(day=date(2026, 3, 11)).get().trip_count == 0  # empty days are stored too
    assert not days.filter(day__gt=last).exists()
    assert rollups.fill(network) == 0  # nothing missing any more


def test_settled_means_ended_the_settle_hours_ago(settings):
    settings.TRIP_STATS_SETTLE_HOURS = 48
    now = datetime(2026, 11, 22, 10, tzinfo=timezone.utc)  # 11:00 in Paris
    assert rollups.last_settled_day(PARIS, now) == date(2026, 11, 19)  # the 19th ended 59 hours before
    settings.TRIP_STATS_SETTLE_HOURS = 0
    assert rollups.last_settled_day(PARIS, now) == date(2026, 11, 21)


def test_statistics_read_the_stored_rows(admin_client, network):
    make_trip(network=network, started_at=MARCH_10)
    rollups.fill(network)
    TripDay.objects.filter(network=network, day=date(2026, 3, 10)).update(trip_count=7)
    assert summary(admin_client, network)["trip_count"] == 7  # read from the row, not from the trips


def test_a_trip_written_on_a_stored_day_drops_it_and_has_it_recomputed(admin_client, network,
                                                                         django_capture_on_commit_callbacks):
    trip = make_trip(network=network, started_at=MARCH_10, distance=1000)
    rollups.fill(network)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        trip.distance = 5000
        trip.save()
    assert not TripDay.objects.filter(network=network, day=date(2026, 3, 10)).exists()
    assert summary(admin_client, network)["total_distance"] == 5000  # the day is read from the trips meanwhile
    for callback in callbacks:
        callback()  # the refresh task (eager in tests)
    row = TripDay.objects.get(network=network, day=date(2026, 3, 10))
    assert row.distances.tolist() == [5000]
    make_trip(network=network, started_at=MARCH_10, distance=700)  # a new trip on the day drops it again
    assert not TripDay.objects.filter(network=network, day=date(2026, 3, 10)).exists()


def test_writes_the_statistics_do_not_read_keep_the_row(network):
    trip = make_trip(network=network, started_at=MARCH_10)
    rollups.fill(network)
    trip.amount = 12
    trip.save()
    trip = Trip.objects.get(pk=trip.pk)
    trip.billing_stop_at = MARCH_10 + timedelta(minutes=5)
    trip.save()
    assert TripDay.objects.filter(network=network, day=date(2026, 3, 10)).exists()


def test_a_trip_moved_or_deleted_drops_the_days_it_leaves(network, admin_client):
    trip = make_trip(network=network, started_at=MARCH_10)
    rollups.fill(network)
    trip = Trip.objects.get(pk=trip.pk)
    # The whole trip moves two days on (a trip ends after it starts: a CHECK constraint).
    trip.started_at, trip.ended_at = trip.started_at + timedelta(days=2), trip.ended_at + timedelta(days=2)
    trip.save()
    assert set(TripDay.objects.filter(network=network, day__in=[date(2026, 3, 10), date(2026, 3, 12)])
               .values_list("day", flat=True)) == set()
    rollups.fill(network)
    trip.delete()
    assert not TripDay.objects.filter(network=network, day=date(2026, 3, 12)).exists()
    assert summary(admin_client, network)["trip_count"] == 0


def test_a_changed_time_zone_ignores_and_then_replaces_the_old_rows(admin_client, network):
    make_trip(network=network, started_at=datetime(2026, 3, 9, 23, 30, tzinfo=timezone.utc))  # 10th in Paris
    rollups.fill(network)
    network.timezone = "UTC"
    network.save()
    TripDay.objects.filter(network=network).update(trip_count=9)  # old-zone rows must not be read
    assert summary(admin_client, network, end_date="2026-03-09")["trip_count"] == 1  # the 9th in UTC
    rollups.fill(network)
    assert set(TripDay.objects.filter(network=network).values_list("timezone", flat=True)) == {"UTC"}
    assert TripDay.objects.get(network=network, day=date(2026, 3, 9)).trip_count == 1


def test_another_time_zone_or_an_organizations_filter_reads_the_trips(admin_client, network):
    make_trip(network=network, started_at=MARCH_10)
    make_trip(network=network, started_at=datetime(2026, 3, 31, 22, 30, tzinfo=timezone.utc))  # April in Paris
    rollups.fill(network)
    TripDay.objects.filter(network=network).update(trip_count=9)
    assert summary(admin_client, network)["trip_count"] == 9 * 22  # Paris: the (tampered) rows of March 10-31
    assert summary(admin_client, network, timezone="UTC")["trip_count"] == 2  # both in March in UTC: the trips
    assert summary(admin_client, network, organizations="null")["trip_count"] == 1  # the trips


def test_networks_of_different_zones_read_the_trips(admin_client, network):
    other = make_network(timezone="America/New_York")
    make_trip(network=network, started_at=MARCH_10)
    make_trip(network=other, started_at=MARCH_10)
    rollups.fill(network)
    TripDay.objects.update(trip_count=9)
    response = admin_client.get(f"{API}/summary", {"networks": f"{network.pk},{other.pk}", "start_date": "2026-03-10",
                                                   "end_date": "2026-03-10", "timezone": "Europe/Paris"})
    assert response.json()["data"]["trip_count"] == 2


def test_rollups_turned_off_read_the_trips(admin_client, network, settings):
    make_trip(network=network, started_at=MARCH_10)
    rollups.fill(network)
    TripDay.objects.update(trip_count=9)
    settings.TRIP_STATS_ROLLUPS = False
    assert summary(admin_client, network)["trip_count"] == 1


def test_refresh_task_stores_only_settled_days_and_skips_unknown_networks(network):
    make_trip(network=network, started_at=MARCH_10)
    today = django_timezone.now().astimezone(PARIS).date()
    assert tasks.refresh_trip_days.delay(network.pk, ["2026-03-10", today.isoformat()]).get() == 1
    assert list(TripDay.objects.values_list("day", flat=True)) == [date(2026, 3, 10)]
    assert tasks.refresh_trip_days.delay(network.pk, ["2026-03-10"]).get() == 1  # idempotent: same row again
    assert TripDay.objects.count() == 1
    assert tasks.refresh_trip_days.delay(network.pk + 1000, ["2026-03-10"]).get() == 0


def test_fill_task_covers_every_network(network):
    other = make_network(timezone="Asia/Kolkata")
    make_trip(network=network, started_at=MARCH_10)
    make_trip(network=other, started_at=MARCH_10)
    assert tasks.fill_trip_days.delay().get() > 0
    assert {row.network_id for row in TripDay.objects.filter(day=date(2026, 3, 10), trip_count=1)} == {network.pk, other.pk}


def test_a_year_of_stored_days_is_a_constant_number_of_queries(admin_client, network, django_assert_max_num_queries):
    for month in range(1, 13):
        make_trip(network=network, started_at=datetime(2025, month, 15, 8, tzinfo=timezone.utc))
    rollups.fill(network)
    for path in ("", "/summary", "/dow", "/time-of-day", "/distance", "/duration", "/stations"):
        # The summary's first read in a process also decodes the stored days' distances, durations, riders and
        # vehicles (stored_values), a statement each.
        with django_assert_max_num_queries(11 if path == "/summary" else 7):
            response = admin_client.get(f"{API}{path}", {"networks": network.pk, "start_date": "2025-01-01",
                                                         "end_date": "2025-12-31", "timezone": "Europe/Paris"})
        assert code(response) == 0
    assert summary(admin_client, network, start_date="2025-01-01", end_date="2025-12-31")["trip_count"] == 12


def test_admin_recomputes_selected_days(client, superuser, network):
    trip = make_trip(network=network, started_at=MARCH_10)
    rollups.fill(network)
    row = TripDay.objects.get(network=network, day=date(2026, 3, 10))
    Trip.objects.filter(pk=trip.pk).update(distance=4321)  # behind the application's back: no signal
    client.force_login(superuser)
    response = client.post("/admin/trips/tripday/", {"action": "recompute", "index": 0, "_selected_action": [row.pk]})
    assert response.status_code == 302 and "login" not in response["Location"]
    recomputed = TripDay.objects.get(pk=row.pk)
    assert recomputed.distances.tolist() == [4321] and recomputed.distance_total == 4321  # the sum rewritten too
    page = client.get(f"/admin/trips/tripday/{row.pk}/change/")
    assert page.status_code == 200 and "4321" in page.content.decode()


@pytest.mark.parametrize("stored", [False, True])
def test_riders_between_any_bounds_match_the_trips(network, stored):
    riders = [make_trip(network=network, started_at=MARCH_10 + timedelta(hours=7 * n)).rider_id for n in range(60)]
    make_trip(network=network, started_at=MARCH_10, state="cancelled", ended_at=None)  # not a finished trip
    if stored:
        rollups.fill(network)
        assert TripDay.objects.filter(network=network, trip_count__gt=0).count() > 10
    starts = dict(Trip.objects.filter(network=network, state="finished").values_list("rider_id", "started_at"))
    paris_midnight = datetime(2026, 3, 12, tzinfo=PARIS)
    for low, high in [(None, None), (None, paris_midnight), (paris_midnight, None),
                      (MARCH_10 + timedelta(hours=30, minutes=5), datetime(2026, 3, 29, 3, tzinfo=PARIS)),  # DST day
                      (paris_midnight, paris_midnight)]:
        expected = {r for r in riders if (low is None or starts[r] >= low) and (high is None or starts[r] < high)}
        found = rollups.riders_between([network.pk], low, high)
        assert sorted(set(found.tolist())) == sorted(expected), (low, high)


def test_riders_between_reads_each_rider_once_from_the_trips_not_stored(network):
    from apps.trips.tests.factories import make_rider

    rider = make_rider()
    for hours in range(5):  # five trips of one rider on days not stored
        make_trip(network=network, rider=rider, started_at=MARCH_10 + timedelta(hours=hours))
    assert rollups.riders_between([network.pk]).tolist() == [rider.pk]


def test_riders_between_reads_the_stored_rows(network):
    make_trip(network=network, started_at=MARCH_10)
    rollups.fill(network)
    TripDay.objects.filter(network=network, day=date(2026, 3, 10)).update(riders=TripDay._meta.get_field("riders")
                                                                          .get_prep_value(np.array([424242])))
    assert rollups.riders_between([network.pk]).tolist() == [424242]


def test_distinct_counting_helpers():
    assert rollups.distinct_count(np.array([5, 3, 5, 9, 3])) == 3
    assert rollups.distinct_count(np.array([1, 10**12, 1])) == 2  # far apart: sorted instead
    assert rollups.distinct_count(np.array([], dtype=np.int64)) == 0
    assert rollups.count_not_in(np.array([4, 4, 7, 9]), np.array([7, 1, 100])) == 2
    assert rollups.count_not_in(np.array([1, 10**12]), np.array([1])) == 1
    assert rollups.distinct_count_of([np.array([5, 3]), np.array([], dtype=np.int64), np.array([9, 5, 3])]) == 3
    assert rollups.distinct_count_of([np.array([1]), np.array([10**12, 1])]) == 2  # far apart: joined, sorted
    assert rollups.distinct_count_of([]) == 0
    # Sorted arrays (stored sets) are bounded by their ends.
    assert rollups.distinct_count_of([np.array([3, 5]), np.array([5, 9, 2**40])], ascending=True) == 4
    assert rollups.distinct_count_of([np.array([3, 5]), np.array([1, 5, 7])], ascending=True) == 4


def test_list_trips_total_reads_stored_counts_and_stays_exact(admin_client, network, django_assert_max_num_queries):
    for days_ago in (400, 30, 10, 0):
        make_trip(network=network, started_at=django_timezone.now() - timedelta(days=days_ago, hours=1))
    make_trip(network=network, state="cancelled", ended_at=None, started_at=MARCH_10)
    make_trip(network=network, state="running", ended_at=None)
    elsewhere = make_trip().network  # another network, with no stored day
    rollups.fill(network)

    def total(**query):
        response = admin_client.get("/api/dashboard/v1/trips", {"networks": network.pk, **query})
        assert code(response) == 0
        return response.json()["total"]

    assert total() == 6 == Trip.objects.filter(network=network).count()
    assert total(networks=f"{network.pk},{elsewhere.pk}") == 7  # stored days, and all trips of a network without
    make_trip(network=network, started_at=MARCH_10)  # a new trip on a stored day: its row is dropped
    assert total() == 7
    rollups.fill(network)
    assert TripDay.objects.filter(network=network, day=date(2026, 3, 10)).update(all_trip_count=50) == 1
    assert total() == 50 + 5  # the stored count is what is read (the five trips on other days are counted)
    assert total(state="cancelled,finished") == 6  # a filter: counted over the trips
    with django_assert_max_num_queries(9):
        total(page_size=10)


def test_list_trips_total_under_a_state_demo_or_start_filter_reads_stored_counts(admin_client, network):
    now = django_timezone.now()
    for days_ago, state, demo in [(40, "finished", False), (40, "cancelled", True), (20, "finished", True),
                                  (20, "cancelled", False), (10, "finished", False), (0, "finished", True)]:
        make_trip(network=network, state=state, demo=demo, started_at=now - timedelta(days=days_ago, hours=1),
                  **({"ended_at": None} if state != "finished" else {}))
    make_trip(network=network, state="running", ended_at=None)
    make_trip(state="cancelled")  # another network
    rollups.fill(network)
    trips = Trip.objects.filter(network=network)

    def total(**query):
        response = admin_client.get("/api/dashboard/v1/trips", {"networks": network.pk, **query})
        assert code(response) == 0, response.json()
        return response.json()["total"]

    since = (now - timedelta(days=25)).isoformat()
    until = (now - timedelta(days=5)).isoformat()
    cases = [({"state": "cancelled"}, trips.filter(state="cancelled")),
             ({"state": "finished,running"}, trips.filter(state__in=["finished", "running"])),
             ({"demo": "true"}, trips.filter(demo=True)), ({"demo": "false"}, trips.filter(demo=False)),
             ({"start_date_min": since}, trips.filter(started_at__gte=since)),
             ({"state": "finished", "start_date_min": since, "start_date_max": until},
              trips.filter(state="finished", started_at__gte=since, started_at__lte=until)),
             ({"state": "cancelled", "demo": "true"}, trips.filter(state="cancelled", demo=True))]  # counted
    for query, expected in cases:
        assert total(**query) == expected.count(), query
    # The stored counts are what is read (a day's count changed by hand shows), except for state and demo at once.
    day = TripDay.objects.filter(network=network, all_trip_count__gt=0).order_by("day").first()
    day.filter_counts = {**day.filter_counts, "cancelled": day.filter_counts["cancelled"] + 100}
    day.save()
    assert total(state="cancelled") == trips.filter(state="cancelled").count() + 100
    assert total(state="cancelled", demo="true") == trips.filter(state="cancelled", demo=True).count()


def test_list_trips_total_under_a_duration_distance_id_or_end_range_reads_stored_days(
        admin_client, network, django_assert_max_num_queries, monkeypatch):
    from apps.trips import selectors

    now = django_timezone.now()
    for days_ago, state, duration, distance in [(40, "finished", 300, 900), (40, "cancelled", 2400, 0),
                                                (40, "finished", 1800, 6000), (20, "finished", 600, 2500),
                                                (20, "running", 900, 100), (10, "finished", 1200, 4000),
                                                (10, "finished", 1200, 4001), (0, "finished", 3000, 9000)]:
        started = now - timedelta(days=days_ago, hours=3)
        make_trip(network=network, state=state, duration=duration, distance=distance, started_at=started,
                  ended_at=None if state == "running" else started + timedelta(seconds=duration))
    make_trip(duration=1200)  # another network
    scooter = make_vehicle(network=network, model_name="E-Scooter S2")
    for days_ago in (40, 40, 0):
        make_trip(network=network, vehicle=scooter, started_at=now - timedelta(days=days_ago, hours=5))
    assert rollups.fill(network) > 30
    monkeypatch.setattr(selectors, "VEHICLES_COUNTED_ON_TRIPS", 0)  # models from the stored days' vehicle counts
    monkeypatch.setattr(selectors, "COUNT_VALUE_RANGE_ON_INDEX_PER_STORED_DAY", 0)  # ranges too, however few
    trips = Trip.objects.filter(network=network)
    ids = sorted(trips.values_list("id", flat=True))
    # An end time between those of the trips of 40 days ago: the range cuts through that day.
    cut = sorted(trips.filter(started_at__lt=now - timedelta(days=30)).values_list("ended_at", flat=True))[1]

    def total(**query):
        # Stored days, the rest's count, the page, the page's names, a running trip's pauses, the access log (3
        # inside a test's transaction), the vehicles of a model: a range that cuts through days counts them with
        # the rest.
        with django_assert_max_num_queries(9):
            response = admin_client.get("/api/dashboard/v1/trips", {"networks": network.pk, **query})
        assert code(response) == 0, response.json()
        return response.json()["total"]

    cases = [({"duration_min": 1200}, trips.filter(duration__gte=1200)),
             ({"duration_min": 600, "duration_max": 1200}, trips.filter(duration__gte=600, duration__lte=1200)),
             ({"duration_max": 2400}, trips.filter(duration__lte=2400)),
             ({"distance_min": 4001}, trips.filter(distance__gte=4001)),
             ({"distance_max": 100}, trips.filter(distance__lte=100)),  # a cancelled and a running trip
             ({"trip_id_min": ids[1]}, trips.filter(id__gte=ids[1])),  # cuts through the first day
             ({"trip_id_min": ids[3], "trip_id_max": ids[5]}, trips.filter(id__gte=ids[3], id__lte=ids[5])),
             ({"trip_id_max": ids[-1] + 100}, trips),
             ({"end_date_min": cut.isoformat()}, trips.filter(ended_at__gte=cut)),
             ({"end_date_max": (now - timedelta(days=5)).isoformat()}, trips.filter(ended_at__lte=now - timedelta(days=5))),
             ({"duration_min": 1200, "start_date_min": (now - timedelta(days=15)).isoformat()},
              trips.filter(duration__gte=1200, started_at__gte=now - timedelta(days=15))),
             ({"duration_min": 1200, "distance_min": 4001}, trips.filter(duration__gte=1200, distance__gte=4001)),
             ({"model_name": "e-bike v3"}, trips.filter(vehicle__model__name__iexact="e-bike v3")),
             ({"model_name": "E-Scooter S2"}, trips.filter(vehicle=scooter)),
             ({"model_name": "no such model"}, trips.none()),
             ({"serial_number": scooter.serial_number.lower()}, trips.filter(vehicle=scooter))]
    for query, expected in cases:
        assert total(**query) == expected.count(), query
    # What is read is the stored days (values changed by hand show), but the trips of a day a range cuts through.
    day = TripDay.objects.get(network=network, day=(now - timedelta(days=10, hours=3)).astimezone(
        ZoneInfo(network.timezone)).date())
    day.durations = np.array([1200, 1200, 5000])
    day.all_trip_count += 100
    day.save()
    assert total(duration_min=4000) == trips.filter(duration__gte=4000).count() + 1
    assert total(trip_id_min=ids[0]) == trips.count() + 100  # the day lies inside: its count is read
    assert total(trip_id_min=ids[6]) == trips.filter(id__gte=ids[6]).count()  # the range cuts it: its trips are


def test_a_range_total_counts_on_the_process_copy_of_the_stored_values_and_follows_their_changes(
        admin_client, network, settings, monkeypatch):
    """apps.trips.stored_values: a distance or duration range's total is counted on each process's decoded copy of
    the stored days' values, decoded once (the next request reads no day's values), replaced where a day is stored
    anew, and the same as the rows give (copy off, or over its memory budget)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.trips import selectors
    from apps.trips.stored_values import STORED_DAYS

    now = django_timezone.now()
    for days_ago, state, duration, distance in [(30, "finished", 300, 900), (30, "cancelled", 2400, 0),
                                                (20, "finished", 1800, 6000), (20, "running", 900, 100),
                                                (10, "finished", 1200, 8000), (0, "finished", 3000, 9000)]:
        started = now - timedelta(days=days_ago, hours=3)
        make_trip(network=network, state=state, duration=duration, distance=distance, started_at=started,
                  ended_at=None if state == "running" else started + timedelta(seconds=duration))
    other = make_network()
    make_trip(network=other, distance=8500, started_at=now - timedelta(days=10))
    assert rollups.fill(network) > 25 and rollups.fill(other) > 5
    monkeypatch.setattr(selectors, "COUNT_VALUE_RANGE_ON_INDEX_PER_STORED_DAY", 0)  # the stored days, however few
    STORED_DAYS.clear()
    trips = Trip.objects.filter(network__in=[network, other])

    def total(**query):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get("/api/dashboard/v1/trips", {"networks": f"{network.pk},{other.pk}", **query})
        assert code(response) == 0, response.json()
        return response.json()["total"], sum('"distances"' in q["sql"] or '"durations"' in q["sql"]
                                              for q in queries.captured_queries)

    cases = [({"distance_min": 8000}, trips.filter(distance__gte=8000)),
             ({"distance_min": 100, "distance_max": 6000}, trips.filter(distance__gte=100, distance__lte=6000)),
             ({"duration_max": 1200}, trips.filter(duration__lte=1200)),
             ({"distance_min": 7000, "start_date_min": (now - timedelta(days=15)).isoformat()},
              trips.filter(distance__gte=7000, started_at__gte=now - timedelta(days=15))),
             ({"distance_min": 9001}, trips.none())]
    assert total(distance_min=8000) == (3, 1)  # the two networks' days decoded: one read of their values
    for query, expected in cases:
        assert total(**query)[0] == expected.count(), query
    assert total(distance_min=8000)[1] == 0 and total(distance_max=5000)[1] == 0  # the copy, nothing read
    assert total(duration_min=100)[1] == 0  # durations: decoded once, by duration_max above

    # A day stored anew (here by hand) is decoded again, the other days kept.
    day = TripDay.objects.get(network=network, day=(now - timedelta(days=10, hours=3)).astimezone(
        ZoneInfo(network.timezone)).date())
    day.distances = np.array([8000, 8001, 8002])
    day.save()
    assert total(distance_min=8000) == (5, 1)
    assert total(distance_min=8000) == (5, 0)

    from_copy = [total(**query) for query, _ in cases]
    assert [reads for _, reads in from_copy] == [0, 0, 1, 0, 0]  # the day's durations, stored anew with it
    settings.TRIP_STORED_VALUES_MB = 0  # the rows, as before the copy: the same totals
    assert [total(**query)[0] for query, _ in cases] == [n for n, _ in from_copy]
    settings.TRIP_STORED_VALUES_MB = 1e-9  # over the budget: the rows too
    STORED_DAYS.clear()
    assert total(distance_min=8000) == (5, 2)  # the copy tried (and dropped), then the rows


def test_the_summarys_medians_come_from_the_process_copy_of_the_stored_days_as_from_the_rows(
        admin_client, network, settings, monkeypatch):
    from apps.trips.stored_values import STORED_DAYS

    for month, distance in enumerate([900, 4000, 2500, 2600, 100, 7000, 3000], start=1):
        make_trip(network=network, started_at=datetime(2025, month, 15, 8, tzinfo=timezone.utc), distance=distance,
                  duration=distance // 3)
    rollups.fill(network)
    STORED_DAYS.clear()
    year = {"start_date": "2025-01-01", "end_date": "2025-12-31"}
    kept = summary(admin_client, network, **year)
    assert (kept["median_distance"], kept["median_duration"], kept["max_distance"], kept["max_duration"]) == (
        2600, 866, 7000, 2333)
    assert kept["unique_users"] == Trip.objects.filter(network=network).values("rider").distinct().count()
    assert {name for _, name in STORED_DAYS._parts} == {"finished_distances", "finished_durations", "riders",
                                                        "vehicles"}
    # Once kept, the stored days' sets and encoded values are not fetched again: the copy answers the distinct
    # counts, the medians and the maxima.
    columns = ('"trips_tripday"."distances"', '"trips_tripday"."riders"', '"trips_tripday"."vehicles"')
    with CaptureQueriesContext(connection) as queries:
        assert summary(admin_client, network, **year) == kept
    assert not [query for query in queries if any(column in query["sql"] for column in columns)]
    # A copy that refuses (a part over its budget): the rows' parts are read then, in one statement each.
    monkeypatch.setattr(daily, "finished_values", lambda days, part: None)
    monkeypatch.setattr(daily, "day_sets", lambda days, part: None)
    with CaptureQueriesContext(connection) as queries:
        assert summary(admin_client, network, **year) == kept
    for column in columns:
        assert len([query for query in queries if column in query["sql"]]) == 1, column
    monkeypatch.undo()
    settings.TRIP_STORED_VALUES_MB = 0
    assert summary(admin_client, network, **year) == kept


@pytest.mark.parametrize("values", [[], [7], [3, 3, 3, 250], [250, 70_000], [2**40, 2**40 + 2**33], [5, 2, 9],
                                    [-10, 4], list(range(10**6, 2 * 10**6, 13))])
def test_sorted_integers_round_trip_in_the_narrowest_width(values):
    from apps.trips.models import SortedIntegersField

    encoded = SortedIntegersField.encode(values)
    assert SortedIntegersField.decode(encoded).tolist() == values
    if len(values) > 1 and values == sorted(values) and max(np.diff(values)) < 256:
        assert encoded[0] & SortedIntegersField._WIDTH_BITS == 1  # one byte per gap


SKIP_INDEX_CASES = {  # sizes around the block's, and values that tie across blocks
    "one block": np.sort(np.random.default_rng(1).integers(60, 3600, 1024)),
    "a head alone after a block": np.sort(np.random.default_rng(2).integers(60, 3600, 1025)),
    "a day of durations": np.sort(np.random.default_rng(3).integers(60, 3600, 10_000)),
    "ties over blocks": np.sort(np.random.default_rng(4).integers(0, 5, 5000)),
    "wide gaps": np.sort(np.random.default_rng(5).integers(0, 10**12, 3000)),
}


@pytest.mark.parametrize("name", SKIP_INDEX_CASES)
def test_indexed_sorted_integers_decode_and_count_any_range_exactly(name):
    """The skip index (one zlib stream flushed at every block, each block's head kept aside) and the plain layout
    (compressed, or raw when zlib hardly shrinks the gaps) decode to the same values; count_between counts, and
    decode_between decodes, any [low, high] as a brute pass does, on both layouts."""
    from apps.trips.models import SortedIntegersField

    values = SKIP_INDEX_CASES[name]
    indexed, plain = SortedIntegersField.encode(values, indexed=True), SortedIntegersField.encode(values)
    # One block has nothing to skip: it is written plain.
    assert bool(indexed[0] & SortedIntegersField._INDEXED) == (values.size > SortedIntegersField.BLOCK)
    assert not plain[0] & SortedIntegersField._INDEXED
    # Sets decoded whole keep gaps zlib shrinks less than 3x as they are (random wide gaps; a thousand durations,
    # ~1.9x); a full day's durations (~4x) are compressed. Indexed sets are always compressed (read in part).
    width = plain[0] & SortedIntegersField._WIDTH_BITS
    gaps = np.diff(values).astype(SortedIntegersField._WIDTHS[width]).tobytes()
    assert bool(plain[0] & SortedIntegersField._RAW) == (len(zlib.compress(gaps, 1)) * 3 > len(gaps))
    assert not indexed[0] & SortedIntegersField._RAW
    assert SortedIntegersField.decode(indexed).tolist() == SortedIntegersField.decode(plain).tolist() == \
        values.tolist()
    picked = values[::len(values) // 40]
    bounds = [None, -1, 0, 1, 4, int(values[0]), int(values[-1]), int(values[-1]) + 1, 10**13,
              *map(int, picked), *(int(v) + 1 for v in picked), *(int(v) - 1 for v in picked)]
    for low in bounds:
        for high in bounds[::4]:
            expected = np.count_nonzero((values >= (-2**62 if low is None else low))
                                        & (values <= (2**62 if high is None else high)))
            assert SortedIntegersField.count_between(indexed, low, high) == expected, (low, high)
            assert SortedIntegersField.count_between(plain, low, high) == expected, (low, high)
            if low is not None and high is not None:
                inside = values[(values >= low) & (values <= high)].tolist()
                assert SortedIntegersField.decode_between(indexed, low, high).tolist() == inside, (low, high)
                assert SortedIntegersField.decode_between(plain, low, high).tolist() == inside, (low, high)


def test_durations_and_distances_are_stored_indexed_and_old_rows_are_reencoded(network):
    """The value fields read by range (durations, distances, the heatmap's cells) are written with the skip index;
    the migration's step turns rows of the old layout into it, values unchanged."""
    import importlib

    from django.apps import apps as django_apps

    from apps.trips.models import SortedIntegersField

    values = SKIP_INDEX_CASES["a day of durations"]
    day = TripDay.objects.create(network=network, day=date(2026, 3, 1), timezone=network.timezone,
                                 durations=values, distances=values + 5, riders=values)
    durations, riders = TripDay.objects.filter(pk=day.pk).values_list(
        SortedIntegersField.raw("durations"), SortedIntegersField.raw("riders")).get()
    assert durations[0] & SortedIntegersField._INDEXED and not riders[0] & SortedIntegersField._INDEXED
    TripDay.objects.filter(pk=day.pk).update(durations=SortedIntegersField.encode(values),
                                             distances=SortedIntegersField.encode(values + 5))
    importlib.import_module("apps.trips.migrations.0017_tripday_indexed_values").reencode(django_apps, None)
    durations, distances = TripDay.objects.filter(pk=day.pk).values_list(
        SortedIntegersField.raw("durations"), SortedIntegersField.raw("distances")).get()
    assert durations[0] & SortedIntegersField._INDEXED and distances[0] & SortedIntegersField._INDEXED
    day.refresh_from_db()
    assert day.durations.tolist() == values.tolist() and day.distances.tolist() == (values + 5).tolist()


def test_a_model_every_vehicle_has_counts_every_trip_from_the_stored_totals(admin_client, network, monkeypatch,
                                                                           django_assert_max_num_queries):
    """When no vehicle is of another model, a model's trips are all the trips: their stored total is read, not a
    year of per-vehicle counts decoded (a model of every trip at 7M: 174-262 ms). Another model's vehicle, even in
    another network (trips keep their vehicle when it moves), brings the per-vehicle counts back."""
    from apps.trips import selectors

    monkeypatch.setattr(selectors, "VEHICLES_COUNTED_ON_TRIPS", 0)
    now = django_timezone.now()
    for days_ago in (20, 10, 0):
        make_trip(network=network, vehicle=make_vehicle(network=network, model_name="Only One"),
                  started_at=now - timedelta(days=days_ago, hours=3))
    assert rollups.fill(network) > 10
    day = TripDay.objects.filter(network=network, all_trip_count__gt=0).order_by("day").first()
    day.all_trip_count += 100  # changed by hand: shows only where the stored total is read
    day.save()

    def total(**query):
        with django_assert_max_num_queries(9):
            response = admin_client.get("/api/dashboard/v1/trips", {"networks": network.pk, **query})
        assert code(response) == 0, response.json()
        return response.json()["total"]

    assert total(model_name="only one") == total() == 103
    make_vehicle(network=make_network(), model_name="Another")
    assert total(model_name="only one") == 3


def test_a_narrow_duration_or_distance_range_is_counted_on_its_index(admin_client, network, monkeypatch):
    """A range holding few trips for the days stored (judged from the latest stored day's share) is counted on the
    (network, key, id) index, an index-only range scan, instead of reading every stored day; a wide one still reads
    the stored days. Both exact."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.trips import selectors

    monkeypatch.setattr(selectors, "COUNT_VALUE_RANGE_ON_INDEX_PER_STORED_DAY", 0.3)  # ~31 days stored: below ~9
    now = django_timezone.now()
    for days_ago in (30, 20, 10):
        for distance in (100, 2000, 3000, 4000, 5000, 6000, 7000, 8000):
            make_trip(network=network, distance=distance, started_at=now - timedelta(days=days_ago, hours=3))
    assert rollups.fill(network) > 20
    day = TripDay.objects.filter(network=network, all_trip_count__gt=0).order_by("day").first()
    day.distances = np.array([100, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000])  # one more, by hand
    day.save()

    def total(**query):
        with CaptureQueriesContext(connection) as queries:
            body = admin_client.get("/api/dashboard/v1/trips", {"networks": network.pk, **query}).json()
        counted = any(q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "trips_trip"') for q in queries)
        return body["total"], counted

    assert total(distance_max=500) == (3, True)  # 3 of 24 trips (~1/8 x 24 = 3 estimated < 9): the trips counted
    assert total(distance_min=1000) == (22, False)  # 21 estimated: the stored days (the hand-made extra shows)


def test_trips_per_cluster_are_stored_packed_and_the_migration_converts_both_ways(network, admin_client):
    """TripDay.station_trips (cluster id << 1 | side, counted) replaced a JSON object per day; migration 0018 turns
    stored days from one form into the other and back, counts unchanged."""
    import json

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from apps.fleet.tests.factories import make_cluster
    from apps.trips.models import ENDED, STARTED, unpack_counts

    here, there = make_cluster(network=network), make_cluster(network=network)
    for start, end in [(here, there), (here, here), (there, None), (None, here)]:
        make_trip(network=network, started_at=MARCH_10, start_cluster=start, end_cluster=end)
    rollups.fill(network)
    day = TripDay.objects.get(network=network, day=date(2026, 3, 10))
    expected = {(here.pk << 1 | STARTED): 2, (there.pk << 1 | STARTED): 1, (there.pk << 1 | ENDED): 1,
                (here.pk << 1 | ENDED): 2}
    assert dict(zip(*(column.tolist() for column in unpack_counts(day.station_trips)))) == expected
    by_cluster = {row["cluster"]["id"]: (row["started"], row["ended"]) for row in admin_client.get(
        f"{API}/stations", {"networks": network.pk, "start_date": "2026-03-01", "end_date": "2026-03-31",
                            "timezone": "Europe/Paris"}).json()["data"]}
    assert by_cluster == {here.pk: (2, 2), there.pk: (1, 1)}

    with connection.cursor() as cursor:  # the rows above checked now: ALTER TABLE refuses pending FK checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("trips", "0017_tripday_indexed_values")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT stations FROM trips_tripday WHERE id = %s", [day.pk])
        stations = json.loads(cursor.fetchone()[0])  # Django leaves jsonb to its fields: a cursor reads text
    assert stations == {"started": {str(here.pk): 2, str(there.pk): 1}, "ended": {str(there.pk): 1, str(here.pk): 2}}
    executor.loader.build_graph()
    executor.migrate([("trips", "0019_tripday_totals")])
    day.refresh_from_db()
    assert dict(zip(*(column.tolist() for column in unpack_counts(day.station_trips)))) == expected


def test_ranked_values_of_many_sets_read_only_the_blocks_fencing_them(monkeypatch):
    """SortedIntegersField.ranked gives the values at any ranks of the union of sets (indexed or plain encodings,
    arrays, empty ones; ties across blocks and sets) as a full sort does, and decodes only blocks that can hold
    them: a median of 40 days of ~10 blocks decodes a few blocks a day, not the days."""
    from apps.trips.models import SortedIntegersField

    rng = np.random.default_rng(11)
    for trial in range(60):
        sets = []
        for _ in range(int(rng.integers(1, 9))):
            values = np.sort(rng.integers(0, int(rng.choice([3, 60, 3600, 10**12])),
                                          int(rng.choice([0, 1, 7, 1023, 1024, 1025, 3100]))))
            form = rng.integers(0, 3)
            sets.append(values if form == 0 else SortedIntegersField.encode(values, indexed=bool(form == 2)))
        every = np.sort(np.concatenate([SortedIntegersField.decoded(values) for values in sets]))
        if not every.size:
            continue
        ranks = sorted({0, (every.size - 1) // 2, every.size // 2, every.size - 1, int(rng.integers(every.size))})
        assert SortedIntegersField.ranked(sets, ranks) == every[ranks].tolist(), trial
        assert SortedIntegersField.largest(sets) == every[-1]
        assert SortedIntegersField.median(sets) == np.median(every)
    assert SortedIntegersField.median([b"", np.array([], dtype=np.int64)]) is None

    days = [SortedIntegersField.encode(np.sort(rng.integers(120, 2520, 10_000)), indexed=True) for _ in range(40)]
    decoded = []
    real_blocks = SortedIntegersField._blocks.__func__
    monkeypatch.setattr(SortedIntegersField, "_blocks", classmethod(
        lambda cls, raw, first, last: decoded.append(last - first + 1) or real_blocks(cls, raw, first, last)))
    monkeypatch.setattr(SortedIntegersField, "decode", lambda value: pytest.fail("a whole day decoded"))
    middle = SortedIntegersField.ranked(days, [199_999, 200_000])
    assert sum(decoded) <= 3 * len(days)  # of 40 x 10 blocks
    monkeypatch.undo()
    every = np.sort(np.concatenate([SortedIntegersField.decode(day) for day in days]))
    assert middle == every[[199_999, 200_000]].tolist()


def test_a_summary_over_days_of_many_blocks_matches_the_trips(admin_client, network, settings):
    """Days of several thousand trips store their distances and durations in several blocks: the summary's sums
    (stored per day), maxima (from the headers) and medians (from the blocks fencing them) equal the aggregation
    of the trips."""
    from apps.accounts.models import User

    rng = np.random.default_rng(5)
    vehicle, rider = make_vehicle(network=network), User.objects.create(email="many@example.com")
    trips = []
    for day, count in ((3, 2600), (4, 1500), (5, 40)):
        for n in range(count):
            start = datetime(2026, 3, day, 8, tzinfo=timezone.utc) + timedelta(seconds=n)
            trips.append(Trip(network=network, vehicle=vehicle, rider=rider, state="finished", started_at=start,
                              ended_at=start + timedelta(minutes=5), duration=int(rng.integers(60, 4000)),
                              distance=int(rng.integers(0, 20_000))))
    Trip.objects.bulk_create(trips)
    settings.TRIP_STATS_ROLLUPS = False
    from_trips = summary(admin_client, network)
    settings.TRIP_STATS_ROLLUPS = True
    assert rollups.fill(network) > 0
    assert TripDay.objects.filter(network=network, trip_count=2600).get().distance_total == sum(
        t.distance for t in trips[:2600])
    assert summary(admin_client, network) == from_trips
    assert from_trips["trip_count"] == 4140 and from_trips["median_duration"] == round(float(np.median(
        [t.duration for t in trips])))


def test_the_migration_sums_the_stored_days_values(network):
    """Migration 0019 adds each stored day's sums of distances and durations, computed from its values."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    for distance, duration in ((1200, 300), (800, 1500), (5000, 60)):
        make_trip(network=network, started_at=MARCH_10, distance=distance, duration=duration)
    rollups.fill(network)
    with connection.cursor() as cursor:  # the rows above checked now: ALTER TABLE refuses pending FK checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("trips", "0018_tripday_station_trips")])
    executor.loader.build_graph()
    executor.migrate([("trips", "0019_tripday_totals")])
    day = TripDay.objects.get(network=network, day=date(2026, 3, 10))
    assert (day.distance_total, day.duration_total) == (7000, 1860)


def test_stored_trip_counts_are_summed_from_an_index_alone(network):
    """Every unfiltered listTrips sums its networks' stored day counts: read off tripday_counts_idx (an index-only
    scan), never from the days' rows, whose parts are kilobytes each."""
    from apps.core.testing.plans import nodes, plan_of

    make_trip(network=network, started_at=MARCH_10)
    rollups.fill(network)
    (_model, sql, params), _as_dicts = rollups.STORED_TRIP_COUNTS.statement(network_ids=[network.pk])
    kinds = [(node["Node Type"], node.get("Index Name")) for node in nodes(plan_of(sql, params))]
    assert ("Index Only Scan", "tripday_counts_idx") in kinds, kinds
