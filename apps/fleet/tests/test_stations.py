"""Stations: decommissioning, outages history, energy consumption per local day (checked against Python)."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.fleet.models import Station, StationEnergyReading, StationOutage

from .factories import make_cluster, make_station, make_vehicle

API = "/api/dashboard/v1"


def test_decommission_station(admin_client, db):
    station = make_station(spots=2)
    vehicle = make_vehicle(network=station.cluster.network, spot=station.spots.first())
    url = f"{API}/stations/{station.pk}/decommission"
    assert admin_client.post(url).json()["message"]["key"] == "station.vehicles_docked"
    vehicle.spot = None
    vehicle.save()
    assert admin_client.post(url).json()["code"] == 0
    assert Station.objects.get().decommissioned_at is not None
    assert admin_client.post(url).json()["message"]["key"] == "station.already_decommissioned"


def test_outages_of_all_the_clusters_stations_latest_first(admin_client, db):
    cluster = make_cluster()
    one, two = make_station(cluster=cluster), make_station(cluster=cluster, decommissioned_at=timezone.now())
    other = make_station()
    start = datetime(2026, 3, 1, 8, tzinfo=ZoneInfo("UTC"))
    old = StationOutage.objects.create(station=one, started_at=start, ended_at=start + timedelta(minutes=90),
                                       reason="power")
    ongoing = StationOutage.objects.create(station=two, started_at=start + timedelta(days=2), reason="hardware")
    StationOutage.objects.create(station=other, started_at=start, reason="power")
    rows = admin_client.get(f"{API}/clusters/{cluster.pk}/outages").json()["data"]
    assert [(r["id"], r["station"]["id"], r["duration"]) for r in rows] == [(ongoing.pk, two.pk, None),
                                                                          (old.pk, one.pk, 5400)]


@pytest.mark.parametrize("tz", ["Europe/Paris", "America/Los_Angeles", "UTC"])
def test_energy_per_local_day_matches_python(admin_client, db, tz):
    station = make_station()
    zone = ZoneInfo(tz)
    # Readings every 5 hours across the end of DST in Europe (25 Oct) and the US (1 Nov 2026).
    first = datetime(2026, 10, 22, 1, 30, tzinfo=ZoneInfo("UTC"))
    readings = [StationEnergyReading(station=station, measured_at=first + timedelta(hours=5 * n), energy_wh=100 + n)
                for n in range(60)]
    StationEnergyReading.objects.bulk_create(readings)
    response = admin_client.get(f"{API}/stations/{station.pk}/energy-consumption",
                                {"start_date": "2026-10-23", "end_date": "2026-11-03", "timezone": tz})
    expected = {}
    for reading in readings:
        day = reading.measured_at.astimezone(zone).date()
        if date(2026, 10, 23) <= day <= date(2026, 11, 3):
            expected[day.isoformat()] = expected.get(day.isoformat(), 0) + reading.energy_wh
    rows = response.json()["data"]
    assert [r["date"] for r in rows] == [(date(2026, 10, 23) + timedelta(days=n)).isoformat() for n in range(12)]
    assert {r["date"]: r["energy_wh"] for r in rows} == {d: expected.get(d, 0) for d in (r["date"] for r in rows)}


def test_energy_period_is_checked(admin_client, db):
    url = f"{API}/stations/{make_station().pk}/energy-consumption"
    for start, end in (("2026-05-02", "2026-05-01"), ("2025-01-01", "2026-03-01")):
        response = admin_client.get(url, {"start_date": start, "end_date": end, "timezone": "UTC"})
        assert response.json()["code"] == -2 and "end_date" in response.json()["message"]["fields"]
    one_day = admin_client.get(url, {"start_date": "2026-05-01", "end_date": "2026-05-01", "timezone": "UTC"})
    assert one_day.json()["data"] == [{"date": "2026-05-01", "energy_wh": 0}]
