"""The admin as a daily tool (issue 17): dashboard, charts and map pages, exports, counts, history, refusals."""
import csv
import io
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from apps.access.tests.factories import make_grant, make_unit
from apps.core.models import AdminExport
from apps.fleet.tests.factories import make_alert, make_vehicle
from apps.geofencing.models import NetworkBorder
from apps.networks.tests.factories import make_network
from apps.stats import overview
from apps.trips.models import TripState
from apps.trips.tests.factories import make_rider, make_trip

PASSWORD = "correct horse battery"
SQUARE = [[45.7, 4.8], [45.7, 4.9], [45.8, 4.9], [45.8, 4.8]]


@pytest.fixture
def two_networks(db):
    mine, theirs = make_network(name="Lyon test", timezone="Europe/Paris"), make_network(name="Theirs-outside")
    return mine, theirs


def scoped_client(user, network, *keys, write=False) -> Client:
    unit = make_unit(networks=[network])
    for key in keys:
        make_grant(user, key, write=write, unit=unit)
    client = Client()
    client.force_login(user)
    return client


def figure(page: str, name: str) -> str:
    """The number shown in the dashboard's figure `name` (data-figure attribute)."""
    at = page.index(f'data-figure="{name}"')
    value = page[page.index("<dd>", at) + 4: page.index("</dd>", at)]
    return value.split(">")[1].split("<")[0] if "<a" in value else value


# --- dashboard --------------------------------------------------------------------------------------------------
def test_dashboard_shows_the_picked_networks_figures_from_the_overview_selectors(two_networks, staff_user):
    mine, theirs = two_networks
    for _ in range(3):
        make_trip(network=mine, started_at=timezone.now() - timedelta(minutes=5))
    make_trip(network=mine, state=TripState.RUNNING, started_at=timezone.now() - timedelta(minutes=5))
    make_trip(network=theirs, started_at=timezone.now() - timedelta(minutes=5))
    make_alert(network=mine)
    client = scoped_client(staff_user, mine, "dashboard.access")

    page = client.get(reverse("admin:index")).content.decode()

    expected = overview.trips_overview([mine.pk], __import__("zoneinfo").ZoneInfo(mine.timezone))
    assert figure(page, "trips-today") == str(expected["today"]) == "4"
    assert figure(page, "trips-under-way") == "1"
    assert figure(page, "vehicles-open-alerts") == "1"
    assert "Theirs-outside" not in page  # the picker lists only the networks in scope
    assert "Revenue" not in page  # no `transactions` right: no money shown
    # The dashboard's right opens no change list: no figure links to a page the user cannot open.
    assert "/admin/trips/trip/" not in page and "/admin/fleet/" not in page
    make_grant(staff_user, "trips", unit=make_unit(networks=[mine]))
    page = client.get(reverse("admin:index")).content.decode()
    # each figure links to the change list filtered to its rows, when the user's rights open it
    running = f"/admin/trips/trip/?network__id__exact={mine.pk}&amp;state__exact=running"
    assert running in page and "/admin/fleet/" not in page
    assert client.get(running.replace("&amp;", "&")).status_code == 200


def test_dashboard_network_picker_cannot_reach_another_tenant(two_networks, staff_user):
    mine, theirs = two_networks
    make_trip(network=theirs, started_at=timezone.now() - timedelta(minutes=5))
    client = scoped_client(staff_user, mine, "dashboard.access")
    page = client.get(reverse("admin:index"), {"network": theirs.pk}).content.decode()
    assert figure(page, "trips-today") == "0"
    assert "Lyon test" in page and "Theirs-outside" not in page


def test_dashboard_without_the_dashboard_right_shows_only_the_menu(staff_user, two_networks):
    client = scoped_client(staff_user, two_networks[0], "trips")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert b"data-figure" not in response.content


def test_the_superusers_dashboard_shows_revenue(admin_client, superuser, two_networks):
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("admin:index"), {"network": two_networks[0].pk}).content.decode()
    assert "Revenue (EUR" in page and figure(page, "trips-today") == "0"


def test_revenue_today_links_to_todays_paid_transactions_not_the_whole_history(superuser, two_networks):
    import re
    from html import unescape

    from apps.payments.tests.factories import make_payment

    mine = two_networks[0]
    for days_ago in (0, 0, 1, 30):
        make_payment(network=mine, date=timezone.now() - timedelta(days=days_ago))
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("admin:index"), {"network": mine.pk}).content.decode()
    links = {name: unescape(re.search(rf'data-figure="revenue-[^"]*-{name}">.*?href="([^"]+)"', page, re.S)[1])
             for name in ("today", "yesterday")}
    assert "date__gte" in links["today"] and "date__lt" in links["today"]
    counts = {name: client.get(link).context["cl"].result_count for name, link in links.items()}
    assert counts == {"today": 2, "yesterday": 1}


# --- charts and maps --------------------------------------------------------------------------------------------
def test_charts_page_configures_the_api_calls_for_the_picked_network(staff_user, two_networks):
    mine, _ = two_networks
    client = scoped_client(staff_user, mine, "trips")
    response = client.get(reverse("admin:charts"), {"start_date": "2026-01-01", "end_date": "2026-01-31",
                                                    "timezone": "America/New_York"})
    config = response.context["config"]
    assert config["network"] == mine.pk and config["timezone"] == "America/New_York"
    assert (config["start"], config["end"]) == ("2026-01-01", "2026-01-31")
    assert config["income"] is False
    assert b"vendor/chartjs/chart.umd.min.js" in response.content


def test_charts_page_ignores_a_bad_time_zone_or_date(staff_user, two_networks):
    client = scoped_client(staff_user, two_networks[0], "trips")
    config = client.get(reverse("admin:charts"), {"timezone": "Mars/Olympus", "start_date": "yesterday"}).context[
        "config"]
    assert config["timezone"] == "Europe/Paris" and len(config["start"]) == 10


def test_geofencing_page_draws_the_border_and_offers_the_editor_to_writers_only(staff_user, two_networks):
    mine, theirs = two_networks
    border = NetworkBorder(network=mine)
    border.set_shape(SQUARE)
    border.save()
    client = scoped_client(staff_user, mine, "networks.manage")
    config = client.get(reverse("admin:geofencing")).context["config"]
    assert config["layers"]["border"] == SQUARE and config["editable"] is False
    make_grant(staff_user, "networks.manage", write=True, unit=make_unit(networks=[mine]))
    config = client.get(reverse("admin:geofencing"), {"network": theirs.pk}).context["config"]
    assert config["network"] == mine.pk and config["editable"] is True


def test_fleet_map_layers_are_the_overview_maps_and_the_open_alerts(staff_user, two_networks):
    mine, theirs = two_networks
    floating = make_vehicle(network=mine, latitude="45.75", longitude="4.85")
    make_vehicle(network=theirs, latitude="45.75", longitude="4.85")
    make_alert(network=mine, vehicle=floating)
    client = scoped_client(staff_user, mine, "dashboard.access")
    layers = client.get(reverse("admin:fleet_map")).context["config"]["layers"]
    assert [v["serial_number"] for v in layers["vehicles"]] == [floating.serial_number]
    assert len(layers["alerts"]) == 1 and layers["border"] is None  # no networks.manage: no border layer


def test_a_page_refused_is_the_admins_styled_page(staff_user, two_networks):
    client = scoped_client(staff_user, two_networks[0], "dashboard.access")
    trip = make_trip(network=two_networks[0])
    response = client.get(reverse("admin:trips_trip_change", args=[trip.pk]))
    assert response.status_code == 403
    assert b"You may not open this page" in response.content and b"fleetadmin" in response.content


# --- exports ----------------------------------------------------------------------------------------------------
def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_is_the_change_lists_filtered_selection_in_scope(staff_user, two_networks,
                                                                     django_assert_max_num_queries):
    mine, theirs = two_networks
    running = [make_trip(network=mine, state=TripState.RUNNING) for _ in range(3)]
    make_trip(network=mine)
    make_trip(network=theirs, state=TripState.RUNNING)
    client = scoped_client(staff_user, mine, "trips")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:trips_trip_export", args=["csv"]), {"state__exact": "running"})
        rows = _csv_rows(response)
    assert response["Content-Disposition"].startswith('attachment; filename="trip-')
    assert rows[0][:3] == ["ID", "Network", "Rider"]
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(t.pk for t in running)


def test_csv_export_reads_rows_in_one_query_whatever_their_number(staff_user, two_networks):
    mine, _ = two_networks
    client = scoped_client(staff_user, mine, "trips")
    url = reverse("admin:trips_trip_export", args=["csv"])
    make_trip(network=mine)
    with CaptureQueriesContext(connection) as few:
        _csv_rows(client.get(url))
    for _ in range(5):
        make_trip(network=mine)
    with CaptureQueriesContext(connection) as many:
        rows = _csv_rows(client.get(url))
    assert len(rows) == 7 and len(many.captured_queries) == len(few.captured_queries)


def test_export_neutralizes_spreadsheet_formulas(superuser):
    make_rider(email="=cmd@example.com")  # an address a spreadsheet would run as a formula
    client = Client()
    client.force_login(superuser)
    rows = _csv_rows(client.get(reverse("admin:accounts_user_export", args=["csv"]), {"q": "cmd@"}))
    assert any(cell == "'=cmd@example.com" for row in rows for cell in row)


def test_xlsx_export_matches_the_filter(staff_user, two_networks):
    mine, theirs = two_networks
    finished = make_trip(network=mine)
    make_trip(network=mine, state=TripState.CANCELLED)
    make_trip(network=theirs)
    client = scoped_client(staff_user, mine, "trips")
    response = client.get(reverse("admin:trips_trip_export", args=["xlsx"]), {"state__exact": "finished"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.values)
    assert rows[0][0] == "ID" and [row[0] for row in rows[1:]] == [finished.pk]


def test_background_export_runs_as_a_job_and_only_its_owner_downloads_it(staff_user, two_networks,
                                                                         django_user_model, settings,
                                                                         django_capture_on_commit_callbacks):
    mine, theirs = two_networks
    mine_trip = make_trip(network=mine)
    make_trip(network=theirs)
    client = scoped_client(staff_user, mine, "trips")
    url = reverse("admin:trips_trip_export_background")
    assert client.get(url).status_code == 403  # started by the button (POST) only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "csv"})
    assert response.status_code == 302 and response["Location"] == reverse("admin:exports")
    export = AdminExport.objects.get()
    assert (export.status, export.rows_written, export.progress) == ("done", 1, 100)
    page = client.get(reverse("admin:exports")).content.decode()
    assert reverse("admin:export_download", args=[export.pk]) in page
    download = client.get(reverse("admin:export_download", args=[export.pk]))
    text = b"".join(download.streaming_content).decode().lstrip("\ufeff")
    assert [row[0] for row in csv.reader(io.StringIO(text))][1:] == [str(mine_trip.pk)]
    other = Client()
    other.force_login(django_user_model.objects.create_user(email="other@example.com", is_staff=True))
    assert other.get(reverse("admin:export_download", args=[export.pk])).status_code == 404


def test_a_big_xlsx_export_goes_to_the_background(superuser, two_networks, settings,
                                                  django_capture_on_commit_callbacks):
    settings.ADMIN_EXPORT_SYNC_XLSX_ROWS = 0
    make_trip(network=two_networks[0])
    client = Client()
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("admin:trips_trip_export", args=["xlsx"]))
    assert response.status_code == 302
    export = AdminExport.objects.get()
    assert export.format == "xlsx" and export.status == "done" and export.file.name.endswith(".xlsx")


def test_export_is_refused_without_the_right(staff_user, two_networks):
    client = scoped_client(staff_user, two_networks[0], "dashboard.access")
    assert client.get(reverse("admin:trips_trip_export", args=["csv"])).status_code == 403
    client = scoped_client(staff_user, two_networks[0], "trips")
    assert client.get(reverse("admin:trips_trip_export", args=["pdf"])).status_code == 403


# --- counts -----------------------------------------------------------------------------------------------------
def test_a_big_change_list_counts_up_to_its_cap(superuser, two_networks, settings, monkeypatch):
    from django.contrib import admin

    from apps.trips.models import Trip

    settings.ADMIN_COUNT_CAP = 3
    monkeypatch.setattr(admin.site._registry[Trip], "list_per_page", 2)
    rider = make_rider()
    for _ in range(5):
        make_trip(network=two_networks[0], rider=rider)
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("admin:trips_trip_changelist")).content.decode()
    assert "more than 3 trips" in page
    # One count on the page: the action bar's "select all" and the search's result count say what the paginator
    # says, never the cap + 1 rows it counted.
    assert "Select all more than 3 trips" in page and "All (more than 3) selected" in page
    searched = client.get(reverse("admin:trips_trip_changelist"), {"q": rider.email}).content.decode()
    assert "more than 3 results" in searched
    for shown in (page, searched):
        assert not any(f"{word} 4" in shown for word in ("all", "All", "of")) and "4 result" not in shown
    settings.ADMIN_COUNT_CAP = 10
    assert "5 trips" in client.get(reverse("admin:trips_trip_changelist")).content.decode()


# --- history ----------------------------------------------------------------------------------------------------
def test_history_shows_a_change_made_through_the_api_with_its_author_and_diff(two_networks, django_user_model):
    mine, theirs = two_networks
    editor = django_user_model.objects.create_user(email="editor@example.com", password=PASSWORD, is_staff=True)
    make_grant(editor, "networks.manage", write=True, unit=make_unit(networks=[mine]))
    api = APIClient()
    token = api.post("/api/dashboard/v1/auth/login", {"email": editor.email, "password": PASSWORD},
                     format="json").json()["data"]["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    for shape in (SQUARE, SQUARE[:3]):
        response = api.put("/api/dashboard/v1/geofencing/border/shape", {"network_id": mine.pk, "shape": shape},
                           format="json")
        assert response.json()["code"] == 0, response.json()
    border = NetworkBorder.objects.get(network=mine)

    client = Client()
    client.force_login(editor)
    entries = LogEntry.objects.get_for_object(border).order_by("timestamp")
    assert [(e.action, e.actor_id) for e in entries] == [(LogEntry.Action.CREATE, editor.pk),
                                                         (LogEntry.Action.UPDATE, editor.pk)]
    assert "shape" in entries[1].changes_dict
    page = client.get(reverse("admin:geofencing_networkborder_history", args=[border.pk])).content.decode()
    assert page.count('href="/admin/accounts/user/%d/change/"' % editor.pk) >= 2 or page.count(editor.email) >= 3
    assert "Shape" in page and "[45.7, 4.8]" in page  # the diff: the old and new points

    outsider = django_user_model.objects.create_user(email="outsider@example.com", is_staff=True)
    make_grant(outsider, "networks.manage", unit=make_unit(networks=[theirs]))
    client.force_login(outsider)
    assert client.get(reverse("admin:geofencing_networkborder_history", args=[border.pk])).status_code in (403, 404)


def test_trip_search_finds_by_id_guid_and_rider_email(superuser, two_networks):
    mine, _ = two_networks
    rider = make_rider(email="findme@example.com")
    trip, other = make_trip(network=mine, rider=rider), make_trip(network=mine)
    client = Client()
    client.force_login(superuser)
    url = reverse("admin:trips_trip_changelist")

    def found(term):
        return sorted(row.pk for row in client.get(url, {"q": term}).context["cl"].result_list)

    assert found(str(other.pk)) == [other.pk]
    assert found(str(trip.guid)) == [trip.pk]
    assert found("FindMe@example.com") == [trip.pk]  # addresses are stored lowercase
    assert found("findme") == [trip.pk]
    assert found("99999999999999999999") == []  # beyond bigint: nothing, not an error
