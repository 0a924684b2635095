"""The demo data loads twice without change, and its scoped staff login sees only its network."""
import io
import re

from django.core.management import call_command
from rest_framework.test import APIClient

from apps.access.models import AccessGrant
from apps.networks.models import Network
from apps.trips.models import Trip


def test_demo_data_is_idempotent_and_scoped_login_sees_one_network(demo_data, settings):
    counts = (Network.objects.count(), Trip.objects.count(), AccessGrant.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Network.objects.count(), Trip.objects.count(), AccessGrant.objects.count()) == counts
    assert counts[1] > 0

    out = io.StringIO()
    call_command("ensure_demo_admin", stdout=out)
    email, password = re.findall(r"email:\s+(\S+)\s+password:\s+(\S+)", out.getvalue())[1]
    client = APIClient()
    token = client.post("/api/dashboard/v1/auth/login", {"email": email, "password": password}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['data']['token']}")

    networks = client.get("/api/dashboard/v1/networks/short").json()["data"]
    assert [n["name"] for n in networks] == ["Lyon Vélo+"]
    lyon, berlin = Network.objects.get(name="Lyon Vélo+"), Network.objects.get(name="Berlin Rad")
    trips = client.get("/api/dashboard/v1/trips", {"networks": lyon.pk, "page_size": 500}).json()
    assert trips["total"] == Trip.objects.filter(network=lyon).count()
    assert client.get("/api/dashboard/v1/trips", {"networks": berlin.pk}).json()["code"] == -4

    # The demo year's statistics are stored as day summaries, and they say what the trips say.
    from apps.trips.models import TripDay

    assert TripDay.objects.filter(network=lyon, timezone=lyon.timezone).count() > 300
    year = {"networks": lyon.pk, "start_date": str(TripDay.objects.filter(network=lyon).earliest("day").day),
            "end_date": str(TripDay.objects.filter(network=lyon).latest("day").day), "timezone": lyon.timezone}
    for path in ("", "/summary", "/time-of-day", "/stations"):
        stored = client.get(f"/api/dashboard/v1/usage-stats{path}", year).json()["data"]
        settings.TRIP_STATS_ROLLUPS = False
        assert client.get(f"/api/dashboard/v1/usage-stats{path}", year).json()["data"] == stored, path
        settings.TRIP_STATS_ROLLUPS = True

    # Every demo network has parkings next to its clusters with free-floating vehicles in them, a border
    # with its settings and a speed zone.
    from apps.geofencing.models import VirtualParking
    from apps.geofencing.selectors import with_parked_vehicles

    for network in Network.objects.all():
        parkings = with_parked_vehicles(parkings=VirtualParking.objects.filter(network=network))
        assert any(p.cluster_id for p in parkings) and any(p.cluster_id is None for p in parkings), network
        assert all(p.vehicles for p in parkings), network
        assert network.border.shape and network.border_settings.trigger_alert and network.speed_zones.exists()
        assert network.pricing_rules.count() == 2
        assert network.settings.trip_auto_lock and network.vehicle_model_guarantees.exists()
        assert network.notification_settings.filter(targets__isnull=False).exists()
    from apps.balancing.models import BalancingDiscount

    assert BalancingDiscount.objects.count() == 4 * Network.objects.count()
    priced = Trip.objects.filter(state="finished", amount__gt=0)
    assert priced.count() == Trip.objects.filter(state="finished").count() and priced.filter(
        additional_costs__isnull=False).exists()
    from apps.discounts.models import CouponUse

    assert CouponUse.objects.exists() and not Trip.objects.filter(coupon_use__isnull=False, discount_amount=0).exists()
    assert Trip.objects.filter(events__type=3).exists() and Trip.objects.filter(state="running").exists()


def test_a_demo_trip_started_in_the_hour_the_clocks_skip_ends_after_it_started():
    """2026-03-29 02:56 does not exist in Paris; the demo's trip of 592 s from there ended 50 minutes before it
    began (the trips' check constraint refused the demo when its year held that night)."""
    from datetime import date, time, timedelta
    from zoneinfo import ZoneInfo

    from apps.trips.demo import local_start

    started = local_start(date(2026, 3, 29), time(2, 56, 52), ZoneInfo("Europe/Paris"))
    assert started.utcoffset() == timedelta(0) and started + timedelta(seconds=592) > started
    assert (started + timedelta(seconds=592)).isoformat() == "2026-03-29T02:06:44+00:00"
    assert local_start(date(2026, 7, 1), time(9, 0), ZoneInfo("Europe/Paris")).hour == 7
