"""Crash reports and app versions, per app label."""
from apps.access.tests.factories import make_grant, make_unit
from apps.applabels.tests.factories import make_app_label
from apps.core.testing.clients import client_for
from apps.core.testing.contract import database_state
from apps.core.testing.responses import code, fields_of
from apps.devtools.models import AppReport, AppVersion

from .test_api_contract import make_app_report

API = "/api/dashboard/v1/devtools"


def test_versions_are_set_per_platform_and_minimal_never_above_current(admin_client):
    label = make_app_label()
    body = {"app_label_id": label.pk, "platform": "ios", "current": 420, "minimal": 400}
    assert code(admin_client.put(f"{API}/app-versions", body, format="json")) == 0
    assert code(admin_client.put(f"{API}/app-versions", {**body, "current": 421}, format="json")) == 0
    assert AppVersion.objects.get().current == 421  # one row per app label and platform
    before = database_state()
    refused = admin_client.put(f"{API}/app-versions", {**body, "minimal": 500}, format="json")
    assert code(refused) == -2 and "minimal" in fields_of(refused)
    assert database_state() == before
    listed = admin_client.get(f"{API}/app-versions").json()["data"]
    assert [(v["app_label_name"], v["platform"], v["minimal"], v["current"]) for v in listed] == [
        (label.name, "ios", 400, 421)]


def test_a_developer_of_one_app_label_sees_and_resolves_its_reports_only(staff_user):
    mine, theirs = make_app_label(), make_app_label()
    make_grant(staff_user, "app.debug", write=True, unit=make_unit(app_labels=[mine]))
    client = client_for(staff_user)
    own, other = make_app_report(mine), make_app_report(theirs)
    assert [r["id"] for r in client.get(f"{API}/app-reports").json()["data"]] == [own.pk]
    refused = client.post(f"{API}/app-reports/resolve", {"reports": [own.pk, other.pk]}, format="json")
    assert code(refused) == -2 and "reports" in fields_of(refused)
    assert not AppReport.objects.filter(resolved_at__isnull=False).exists()
    assert code(client.post(f"{API}/app-reports/resolve", {"reports": [own.pk]}, format="json")) == 0
    assert client.get(f"{API}/app-reports").json()["data"] == []
    assert code(client.put(f"{API}/app-versions", {"app_label_id": theirs.pk, "platform": "android", "current": 2,
                                                    "minimal": 1}, format="json")) == -2
