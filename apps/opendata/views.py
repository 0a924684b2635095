"""The public GBFS feed: plain JSON files (not the dashboard API's envelope), cached for their `ttl` and answered
`304 Not Modified` when the planner already holds them (ETag / If-None-Match, weak and `*` included); HEAD answers
the headers alone."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from zoneinfo import ZoneInfo

import orjson
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from apps.networks.models import Network

from . import gbfs


def _published(network_id=None):
    """Networks whose feed is on (no NetworkFeed row: on), open (not closed)."""
    networks = Network.objects.select_related("third_party").filter(closed_at__isnull=True) \
        .exclude(open_data__gbfs_enabled=False)
    return networks if network_id is None else networks.filter(pk=network_id).first()


def _absolute(request, url_name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(url_name, kwargs=kwargs))


def _file_url(request, network, name: str) -> str:
    return _absolute(request, "gbfs-file", network_id=network.pk, name=name)


def _build(request, network, name: str) -> dict:
    """The `data` of one file of `network`."""
    langs = gbfs.languages()
    tz, now = ZoneInfo(network.timezone), gbfs.now()
    rules = gbfs.pricing_rules(network) if name in ("vehicle_types", "vehicle_status", "system_pricing_plans",
                                                      "gbfs") else []
    plan = gbfs.plan_in_force(rules, tz, now)
    if name == "gbfs":
        return {"feeds": [{"name": feed, "url": _file_url(request, network, feed)}
                          for feed in ["gbfs", *gbfs.feed_names(network, rules)]]}
    if name == "gbfs_versions":
        return {"versions": [{"version": gbfs.VERSION, "url": _file_url(request, network, "gbfs")}]}
    if name == "system_information":
        return gbfs.system_information(network, langs, manifest_url=_absolute(request, "gbfs-manifest"))
    if name == "vehicle_types":
        return gbfs.vehicle_types(network, langs, default_plan=plan)
    if name == "station_information":
        return gbfs.station_information(network, langs)
    if name == "station_status":
        return gbfs.station_status(network, tz, now=now)
    if name == "vehicle_status":
        return gbfs.vehicle_status(network, tz, now=now, plan=plan)
    if name == "system_pricing_plans":
        return gbfs.system_pricing_plans(network, langs, rules)
    if name == "system_alerts":
        return gbfs.system_alerts(network, langs, tz, now=now)
    if name == "geofencing_zones":
        return gbfs.geofencing_zones(network, langs)
    raise KeyError(name)


def _cached_file(request, key: str, name: str, tz: ZoneInfo, build) -> tuple[bytes, str]:
    """The file's body and ETag, rebuilt at most once per `ttl`.

    `last_updated` is the rebuild's time, so a realtime file is never older than its ttl (the spec's freshness). The
    ETag is weak and names the data alone: an unchanged file keeps it across rebuilds, and pollers keep getting 304s.
    A builder writes `gbfs.CHANGED_AT` where a time must say when the data last changed (a station's
    `last_reported` without a report of its own): it is that time, which stays put while the data does."""
    hit = cache.get(key)
    if hit is not None:
        return hit
    # The data is serialized once; the builders emit it in a fixed order, so equal data is equal bytes.
    data = orjson.dumps(build(), default=_plain)
    digest = hashlib.sha256(data).hexdigest()
    now = gbfs.timestamp(gbfs.now(), tz)
    seen = cache.get(key + ":seen")
    changed = seen[1] if seen and seen[0] == digest else now
    cache.set(key + ":seen", (digest, changed), 86_400)
    data = data.replace(orjson.dumps(gbfs.CHANGED_AT), orjson.dumps(changed))
    header = orjson.dumps({"last_updated": now, "ttl": gbfs.TTL[name], "version": gbfs.VERSION})
    body = header[:-1] + b',"data":' + data + b"}"
    entry = (body, f'W/"{digest[:32]}"')
    cache.set(key, entry, gbfs.TTL[name])
    return entry


def _matches(etag: str, if_none_match: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110, 13.1.2): `*`, or any listed tag with the same opaque value."""
    opaque = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == opaque
               for tag in (part.strip() for part in if_none_match.split(",")) if tag)


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _respond(request, name: str, body: bytes, etag: str) -> HttpResponse:
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={gbfs.TTL[name]}",
               "Access-Control-Allow-Origin": "*"}
    if _matches(etag, request.headers.get("If-None-Match", "")):
        return HttpResponse(status=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return HttpResponse(content_type="application/json; charset=utf-8", headers=headers)
    return HttpResponse(body, content_type="application/json; charset=utf-8", headers=headers)


def _not_found(text: str) -> JsonResponse:
    return JsonResponse({"error": "not_found", "error_description": text}, status=404)


@require_safe
def gbfs_file(request, network_id: int, name: str):
    network = _published(network_id)
    if network is None:
        return _not_found("No published feed for this network.")
    if name not in ("gbfs", *gbfs.feed_names(network, gbfs.pricing_rules(network))):
        return _not_found(f"This network publishes no {name}.json.")
    key = f"gbfs:{network.pk}:{name}:{request.get_host()}"
    body, etag = _cached_file(request, key, name, ZoneInfo(network.timezone), lambda: _build(request, network, name))
    return _respond(request, name, body, etag)


@require_safe
def gbfs_manifest(request):
    def build():
        return {"datasets": [
            {"system_id": f"fleetadmin-{network.pk}",
             "versions": [{"version": gbfs.VERSION, "url": _file_url(request, network, "gbfs")}]}
            for network in _published().order_by("id")]}

    body, etag = _cached_file(request, f"gbfs:manifest:{request.get_host()}", "manifest", ZoneInfo("UTC"), build)
    return _respond(request, "manifest", body, etag)


urlpatterns = [
    path("gbfs/v3/manifest.json", gbfs_manifest, name="gbfs-manifest"),
    path("gbfs/v3/<int:network_id>/<slug:name>.json", gbfs_file, name="gbfs-file"),
]
