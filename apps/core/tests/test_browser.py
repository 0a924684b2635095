"""The admin in a real browser (issue 17): Playwright drives the Chromium of the OS package manager (`apt install
chromium`; .ci/run installs it) against a live server, logged in as a staff member scoped to one network.

Screenshots of each page are kept in test-artifacts/browser/ (ignored by git; CI keeps them as artifacts).
Without Chromium the test is skipped, except under CI (CI=1), where a missing browser is a failure.
"""
import csv
import io
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from apps.access.tests.factories import make_grant, make_unit
from apps.geofencing.models import NetworkBorder
from apps.networks.tests.factories import make_network
from apps.trips.models import TripState
from apps.trips.tests.factories import make_trip

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"
PASSWORD = "correct horse battery"
BORDER = [[45.70, 4.78], [45.70, 4.90], [45.80, 4.90], [45.80, 4.78]]

if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI runs the browser tests: install Chromium (apt-get install chromium)")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser_page(monkeypatch):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
    # The live server's request threads keep their database connections (keep-alive); close them, so none
    # outlives the test database at the end of the session.
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_scoped_staff_member_works_in_the_admin(live_server, browser_page, django_user_model):
    mine, theirs = make_network(name="Lyon browser"), make_network(name="Theirs-outside")
    now = timezone.now()
    for _ in range(3):
        make_trip(network=mine, started_at=now - timedelta(minutes=10))
    running = [make_trip(network=mine, state=TripState.RUNNING, started_at=now - timedelta(minutes=5))
               for _ in range(2)]
    make_trip(network=theirs, state=TripState.RUNNING, started_at=now - timedelta(minutes=5))
    staff = django_user_model.objects.create_user(email="ops@example.com", password=PASSWORD, is_staff=True)
    unit = make_unit(networks=[mine])
    for key in ("dashboard.access", "trips", "networks.manage"):
        make_grant(staff, key, write=True, unit=unit)
    # A change made through the API, by bearer token, that the admin's history must show.
    api = APIClient()
    token = api.post("/api/dashboard/v1/auth/login", {"email": staff.email, "password": PASSWORD},
                     format="json").json()["data"]["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.put("/api/dashboard/v1/geofencing/border/shape", {"network_id": mine.pk, "shape": BORDER},
                   format="json").json()["code"] == 0
    border = NetworkBorder.objects.get(network=mine)

    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    # Dashboard: today's trips and those under way, of this network only.
    page.wait_for_selector('[data-figure="trips-today"]')
    shot(page, "1-dashboard")
    assert page.inner_text('[data-figure="trips-today"] dd') == "5"
    assert page.inner_text('[data-figure="trips-under-way"] dd') == "2"
    assert "Theirs-outside" not in page.content()
    assert page.title().endswith("fleetadmin")

    # Charts: the statistics fetched from the API with the session, drawn by Chart.js.
    page.goto(f"{live_server.url}/admin/charts/")
    page.wait_for_selector("body[data-charts-done]")
    shot(page, "2-charts")
    assert page.get_attribute('canvas[data-chart="hour"]', "data-drawn") == "24"
    assert page.get_attribute('canvas[data-chart="dow"]', "data-drawn") == "7"
    assert page.is_hidden("#fa-charts-error")

    # Map: the border drawn (tiles may not load on a closed network; shapes do).
    page.goto(f"{live_server.url}/admin/geofencing/")
    page.wait_for_selector("#fa-map path.leaflet-interactive")
    shot(page, "3-geofencing")
    assert '"border": 1' in page.get_attribute("#fa-map", "data-layers").replace(":", ": ")

    # Export: the trips change list filtered to running trips, downloaded as CSV.
    page.goto(f"{live_server.url}/admin/trips/trip/?state__exact=running")
    shot(page, "4-trips-running")
    with page.expect_download() as download:
        page.click('a.fa-export[data-format="csv"]')
    text = Path(download.value.path()).read_text(encoding="utf-8").lstrip("\ufeff")
    exported = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert sorted(exported) == sorted(str(trip.pk) for trip in running)

    # History: the border's change made through the API, with its author and the new points.
    page.goto(f"{live_server.url}/admin/geofencing/networkborder/{border.pk}/history/")
    shot(page, "5-border-history")
    history = page.inner_text("#content")
    assert "ops@example.com" in history and "45.8" in history

    # The vehicle's page: its last day read from listVehicleTelemetry with the session, drawn on a map with its
    # battery chart; the fleet map draws it where it reported.
    from apps.telemetry.tests.factories import fitted_vehicle, make_provider, message, report

    make_grant(staff, "vehicles.manage", write=True, unit=unit)
    provider, provider_token = make_provider()
    vehicle = fitted_vehicle(provider, network=mine)
    report(provider_token, *[message(vehicle, seconds_ago=600 - 100 * n, position=(45.76 + n / 1000, 4.83),
                                     battery=90 - n) for n in range(5)])
    page.goto(f"{live_server.url}/admin/fleet/vehicle/{vehicle.pk}/change/")
    page.wait_for_selector('#fa-route[data-points="5"]')
    shot(page, "6-vehicle-telemetry")
    assert "Live state" in page.content() and "86 %" in page.content()
    page.goto(f"{live_server.url}/admin/map/?network={mine.pk}")
    page.wait_for_selector("#fa-map path.leaflet-interactive")
    assert '"vehicle": 1' in page.get_attribute("#fa-map", "data-layers").replace(":", ": ")
