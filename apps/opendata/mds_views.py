"""The MDS 2.0 provider API for city agencies (docs/opendata.md): bearer tokens per agency (AgencyToken, seeing only
the networks granted), the MDS media type with version negotiation (406 otherwise), hour-bucketed historical
endpoints (202 while the hour is not over, 404 for a future hour), JSON:API `links` on paginated lists."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone as dt_timezone
from functools import wraps

import orjson
from django.db.models import Q
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from apps.accounts.models import hash_token

from . import mds
from .models import AgencyToken

# ASCII digits only: \d and str.isdigit() also take "²" or "١" (int() then fails, or reads another script).
HOUR = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2})$")
MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
MILLISECONDS = re.compile(r"^[0-9]{1,15}$")
CURSOR = re.compile(r"^[0-9]{1,18}$")
RECENT_WINDOW = timedelta(weeks=2)


class MdsError(Exception):
    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


def _json(status: int, body: dict, media_type: str = mds.MEDIA_TYPE) -> HttpResponse:
    return HttpResponse(orjson.dumps(body), status=status,
                        content_type=f"{media_type};version=2.0; charset=utf-8")


def _negotiate(request, media_type: str) -> None:
    """The client must ask for MDS 2.0 (`Accept: <media type>;version=2.0`): another version, or none (which the
    spec reads as 0.2), is 406."""
    for offered in request.headers.get("Accept", "").split(","):
        kind, *params = [part.strip() for part in offered.split(";")]
        version = next((p.split("=", 1)[1].strip() for p in params if p.startswith("version=")), None)
        if kind == media_type and version == "2.0":
            return
    raise MdsError(406, "unsupported_version",
                   f"Ask for MDS 2.0: 'Accept: {media_type};version=2.0' (this provider serves version 2.0 only).")


def _agency_networks(request) -> list[int]:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise MdsError(401, "unauthorized", "An agency bearer token is required.")
    now = mds.now()
    agency = (AgencyToken.objects.filter(key_hash=hash_token(token.strip()), revoked_at__isnull=True)
              .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).first())
    if agency is None:
        raise MdsError(401, "unauthorized", "Unknown, expired or revoked agency token.")
    if agency.last_used_at is None or agency.last_used_at < now - timedelta(minutes=1):
        AgencyToken.objects.filter(pk=agency.pk).update(last_used_at=now)
    return list(agency.networks.values_list("pk", flat=True))


def mds_endpoint(media_type: str = mds.MEDIA_TYPE):
    def decorate(view):
        @require_safe
        @wraps(view)
        def run(request, *args, **kwargs):
            try:
                networks = _agency_networks(request)
                _negotiate(request, media_type)
                return view(request, networks, *args, **kwargs)
            except MdsError as exc:
                return _json(exc.status, {"error": exc.error, "error_description": exc.description,
                                          "error_details": [exc.description]})
        return run
    return decorate


def _hour(request, name: str) -> tuple[datetime, datetime] | HttpResponse:
    """The UTC hour named by `name` (YYYY-MM-DDTHH): 400 if absent or malformed, 404 if it has not begun, 202 while
    it is not over (not processed yet)."""
    text = request.GET.get(name, "")
    match = HOUR.match(text)
    try:
        low = datetime(*map(int, match.groups()), tzinfo=dt_timezone.utc) if match else None
    except ValueError:
        low = None
    if low is None:
        raise MdsError(400, "bad_param", f"{name} is required, as YYYY-MM-DDTHH (a UTC hour).")
    now = mds.now()
    if low > now:
        raise MdsError(404, "not_found", f"{text} is in the future.")
    high = low + timedelta(hours=1)
    if high > now:
        return _json(202, {"version": mds.VERSION, "error": "not_processed",
                           "error_description": f"{text} is not over yet; ask again after {high:%H}:00 UTC."})
    return low, high


def _page(request, rows: list[dict], payload: str, extra: dict) -> HttpResponse:
    """A page of a keyset-paginated list (`after` = the last vehicle id of the previous page)."""
    body = {"version": mds.VERSION, payload: [{k: v for k, v in row.items() if k != "pk"} for row in rows], **extra}
    base = request.build_absolute_uri(request.path)
    body["links"] = {"first": base, "next": f"{base}?after={rows[-1]['pk']}" if len(rows) == mds.PAGE_SIZE else None}
    return _json(200, body)


def _after(request) -> int:
    text = request.GET.get("after", "0")
    if not CURSOR.match(text):
        raise MdsError(400, "bad_param", "after must be a vehicle page cursor from a links.next URL.")
    return int(text)


def _near_realtime(now: datetime) -> dict:
    return {"last_updated": mds.ms(now), "ttl": mds.VEHICLE_TTL_MS}


@mds_endpoint()
def vehicles(request, networks, device=None):
    now = mds.now()
    queryset = mds.vehicles_queryset(networks, now=now)
    if device is not None:
        row = queryset.filter(pk=mds.vehicle_pk(device) or 0).first()
        if row is None:
            raise MdsError(404, "not_found", "No such vehicle in the networks this token sees.")
        return _json(200, {"version": mds.VERSION, "vehicles": [mds.vehicle(row)], **_near_realtime(now)})
    rows = [{"pk": row.pk, **mds.vehicle(row)} for row in queryset.filter(pk__gt=_after(request))[:mds.PAGE_SIZE]]
    return _page(request, rows, "vehicles", _near_realtime(now))


@mds_endpoint()
def vehicles_status(request, networks, device=None):
    now = mds.now()
    if device is not None:
        rows = mds.vehicle_states(networks, now=now, only_pk=mds.vehicle_pk(device) or 0)
        if not rows:
            raise MdsError(404, "not_found", "No such vehicle in the public right of way of these networks.")
        return _json(200, {"version": mds.VERSION, "vehicles_status": [
            {k: v for k, v in rows[0].items() if k != "pk"}], **_near_realtime(now)})
    rows = mds.vehicle_states(networks, now=now, after_pk=_after(request))
    return _page(request, rows, "vehicles_status", _near_realtime(now))


def _historical(builder, payload: str, param: str):
    @mds_endpoint()
    def view(request, networks):
        hour = _hour(request, param)
        if isinstance(hour, HttpResponse):
            return hour
        return _json(200, {"version": mds.VERSION, payload: builder(networks, *hour)})
    return view


trips = _historical(mds.trips, "trips", "end_time")
TELEMETRY_CURSOR = re.compile(r"^([0-9]{1,20})-([0-9]{1,19})$")


@mds_endpoint()
def telemetry(request, networks):
    """An hour's telemetry, a page at a time (a busy hour holds tens of thousands of reported positions): the
    trips' points and the first positions, then `links.next` until the hour is done."""
    hour = _hour(request, "telemetry_time")
    if isinstance(hour, HttpResponse):
        return hour
    after = None
    if "after" in request.GET:
        match = TELEMETRY_CURSOR.match(request.GET["after"])
        try:
            after = (datetime(1970, 1, 1, tzinfo=dt_timezone.utc) + timedelta(microseconds=int(match[1])),
                     int(match[2]))
        except (TypeError, ValueError, OverflowError, OSError):
            raise MdsError(400, "bad_param", "after must be a telemetry page cursor from a links.next URL.") from None
    points, following = mds.telemetry(networks, *hour, after=after)
    base = request.build_absolute_uri(request.path) + f"?telemetry_time={request.GET['telemetry_time']}"
    epoch = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)
    cursor = following and f"{(following[0] - epoch) // timedelta(microseconds=1)}-{following[1]}"
    return _json(200, {"version": mds.VERSION, "telemetry": points,
                       "links": {"first": base, "next": f"{base}&after={cursor}" if cursor else None}})


events_historical = _historical(mds.events, "events", "event_time")


@mds_endpoint()
def events_recent(request, networks):
    now = mds.now()
    try:
        texts = [request.GET[name] for name in ("start_time", "end_time")]
        if not all(MILLISECONDS.match(text) for text in texts):
            raise ValueError
        start, end = (datetime.fromtimestamp(int(text) / 1000, tz=dt_timezone.utc) for text in texts)
    except (KeyError, ValueError, OverflowError, OSError):
        raise MdsError(400, "bad_param", "start_time and end_time are required, in milliseconds since the epoch.")
    if end <= start or start < now - RECENT_WINDOW:
        raise MdsError(400, "bad_param", "end_time must follow start_time, and start_time be within two weeks.")
    return _json(200, {"version": mds.VERSION, "events": mds.events(networks, start, min(end, now))})


@mds_endpoint(mds.CSV_MEDIA_TYPE)
def report(request, networks, month: str):
    match = MONTH.match(month)
    # Year 1 has no month before it to have data, 9999-12 no month after it to bound it.
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1 <= int(match.group(1)) <= 9998:
        raise MdsError(404, "not_found", "Reports are /reports/YYYY-MM.csv, YYYY from 0001 to 9998.")
    first = date(int(match.group(1)), int(match.group(2)), 1)
    following = (first + timedelta(days=32)).replace(day=1)
    low = datetime(first.year, first.month, 1, tzinfo=dt_timezone.utc)
    high = datetime(following.year, following.month, 1, tzinfo=dt_timezone.utc)
    if high > mds.now():
        raise MdsError(404, "not_found", "A month's report exists once the month is over.")
    return HttpResponse(mds.monthly_report(networks, first, low, high),
                        content_type=f"{mds.CSV_MEDIA_TYPE};version=2.0; charset=utf-8")


urlpatterns = [
    path("mds/v2/vehicles", vehicles, name="mds-vehicles"),
    path("mds/v2/vehicles/status", vehicles_status, name="mds-vehicles-status"),
    path("mds/v2/vehicles/status/<str:device>", vehicles_status, name="mds-vehicle-status"),
    path("mds/v2/vehicles/<str:device>", vehicles, name="mds-vehicle"),
    path("mds/v2/trips", trips, name="mds-trips"),
    path("mds/v2/telemetry", telemetry, name="mds-telemetry"),
    path("mds/v2/events/historical", events_historical, name="mds-events-historical"),
    path("mds/v2/events/recent", events_recent, name="mds-events-recent"),
    path("mds/v2/reports/<str:month>.csv", report, name="mds-report"),
]
