"""Simulated riders driving the real riders' app API over HTTP: each signs up (or logs in), accepts the terms, saves
a card, then rides: finds a vehicle near where it stands, starts it, rides for a while, ends a few hundred meters
away, and is charged. Used by `manage.py simulate_riders`, by `./fleet up` at a gentle rate (the demo's dashboard,
statistics and feeds move), and by bench/rider_trips.py (the lifecycle's throughput and latencies). With the telemetry
provider's token, the vehicles report too (apps.telemetry): the ridden one its way, every vehicle its place and
battery every minute, so `./fleet up` shows a living fleet.

Only the standard library speaks HTTP here (one keep-alive connection per rider), so the simulator measures the
server, not a client library."""
from __future__ import annotations

import http.client
from django.db.models import Avg, Count
import json
import math
import random
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from apps.fleet.models import Vehicle

API = "/api/business-mobile/v1"
PASSWORD = "simulated rider passphrase"


class ApiRefusal(Exception):
    def __init__(self, status: int, body: dict):
        super().__init__(f"{status} {body.get('ErrorCode')}: {body.get('Message')}")
        self.status, self.code = status, body.get("ErrorCode")


class JsonClient:
    """A keep-alive connection to the server, speaking JSON."""

    def __init__(self, base_url: str, token: str | None = None):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        self.https = parts.scheme == "https"
        self.connection = None
        self.token = token

    def send(self, method: str, url: str, body=None, key: str | None = None) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if key:
            headers["Idempotency-Key"] = key
        payload = None if body is None else json.dumps(body)
        for attempt in (1, 2):  # a keep-alive connection the server closed is opened again once
            if self.connection is None:
                kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
                self.connection = kind(self.host, self.port, timeout=30)
            try:
                self.connection.request(method, url, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = json.loads(response.read() or b"{}")
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        return response.status, data


class RiderClient(JsonClient):
    """One rider's connection to the riders' app API."""

    def call(self, method: str, path: str, body=None, query=None, key: str | None = None) -> dict:
        status, data = self.send(method, API + path + (f"?{urlencode(query)}" if query else ""), body, key)
        if status >= 400 or data.get("Result") != "Ok":
            raise ApiRefusal(status, data)
        return data.get("Data")


class VehicleReporter(JsonClient):
    """The vehicles' IoT boxes, as a gateway reports them (`POST /api/telemetry/v1/messages`, the provider's token):
    the vehicle a rider rides reports its way; every vehicle the simulator knows reports its place and battery now and
    then, as idle vehicles do. One connection, shared by the riders' threads."""

    def __init__(self, base_url: str, token: str, fleet: dict[str, list]):
        super().__init__(base_url, token)
        self.fleet = fleet  # vehicle code -> [device id, latitude, longitude, battery], as last moved here
        self.lock = threading.Lock()
        self.sent, self.refused = 0, 0

    def report(self, code: str, *, latitude: float, longitude: float, speed: float = 0.0) -> None:
        with self.lock:
            vehicle = self.fleet.get(code)
            if vehicle is None:  # no IoT device fitted: it reports nothing
                return
            vehicle[1], vehicle[2] = latitude, longitude
            if speed:
                vehicle[3] = max(5, vehicle[3] - random.choice((0, 0, 1)))  # riding drains the battery a little
            self._post([self._message(vehicle, speed)])

    def heartbeat(self) -> None:
        """Every vehicle's place and battery, in batches of 100."""
        with self.lock:
            messages = [self._message(vehicle, 0.0) for vehicle in self.fleet.values()]
            for start in range(0, len(messages), 100):
                self._post(messages[start:start + 100])

    @staticmethod
    def _message(vehicle: list, speed: float) -> dict:
        device, latitude, longitude, battery = vehicle
        return {"id": f"sim-{random.getrandbits(63)}", "vehicle": device, "latitude": round(latitude, 6),
                "longitude": round(longitude, 6), "battery": battery, "locked": speed == 0, "speed": speed,
                "time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())}

    def _post(self, messages: list) -> None:
        status, data = self.send("POST", "/api/telemetry/v1/messages", {"messages": messages})
        if status != 200:
            raise ApiRefusal(status, {"ErrorCode": str(data.get("code")), "Message": str(data.get("message"))})
        self.sent += data["data"]["accepted"]
        self.refused += len(data["data"]["rejected"])


@dataclass
class Results:
    trips: int = 0
    refused: dict = field(default_factory=dict)
    start_ms: list = field(default_factory=list)
    end_ms: list = field(default_factory=list)
    messages: int = 0  # telemetry messages the vehicles reported
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refusal(self, code: str) -> None:
        with self.lock:
            self.refused[code] = self.refused.get(code, 0) + 1

    def trip(self, start_ms: float, end_ms: float) -> None:
        with self.lock:
            self.trips += 1
            self.start_ms.append(start_ms)
            self.end_ms.append(end_ms)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def moved(latitude: float, longitude: float, meters: float) -> tuple[float, float]:
    """A point about `meters` away in a random direction."""
    angle = random.uniform(0, 2 * math.pi)
    return (round(latitude + meters * math.cos(angle) / 111_320, 6),
            round(longitude + meters * math.sin(angle) / (111_320 * math.cos(math.radians(latitude))), 6))


def sign_up(client: RiderClient, *, app_label: str, email: str) -> None:
    try:
        client.token = client.call("POST", "/riders/sign-up", {"AppLabel": app_label, "Email": email,
                                                               "Password": PASSWORD})["Token"]
    except ApiRefusal as refused:
        if refused.code != "err_EmailTaken":
            raise
        client.token = client.call("POST", "/riders/login", {"AppLabel": app_label, "Email": email,
                                                             "Password": PASSWORD})["Token"]
    client.call("POST", "/riders/me/terms/accept", {})
    if not client.call("GET", "/riders/me")["HasCard"]:
        client.call("POST", "/riders/me/cards", {"Token": "tok_visa"})


PLACE_REFUSED = {"err_OutsideBorder", "err_NoParkingZone", "err_OutsideParking"}  # the end's position rules


def ride(client: RiderClient, results: Results, *, center: tuple[float, float], radius: int, trips: int,
         ride_seconds: float, pause_seconds: float, stop: threading.Event,
         reporter: VehicleReporter | None = None) -> None:
    """`trips` rides (0: until `stop`), each from a vehicle near where the rider stands; with a `reporter`, the
    vehicle reports its way every few seconds of the ride, and its place at the end."""
    here = moved(*center, random.uniform(0, radius / 2))
    done = 0
    while not stop.is_set() and (trips == 0 or done < trips):
        nearby = client.call("GET", "/vehicles/nearby", query={"Latitude": here[0], "Longitude": here[1],
                                                               "Radius": radius})
        if not nearby:
            here = moved(*center, random.uniform(0, radius / 2))
            results.refusal("no_vehicle_near")
            stop.wait(0.5)  # somewhere else in a moment, without hammering the server
            continue
        vehicle = random.choice(nearby[:5])
        here = (float(vehicle["Latitude"]), float(vehicle["Longitude"]))
        started_at = time.perf_counter()
        try:
            trip = client.call("POST", "/trips/start", {"VehicleCode": vehicle["VehicleCode"], "Latitude": here[0],
                                                        "Longitude": here[1]}, key=f"start-{random.getrandbits(64)}")
        except ApiRefusal as refused:  # another rider took it first, its battery ran low...
            results.refusal(refused.code or str(refused.status))
            continue
        start_ms = (time.perf_counter() - started_at) * 1000
        taken_at, here = here, moved(*here, random.uniform(200, 800))
        if math.dist(here, center) * 111_320 > radius:  # keep the fleet around the center
            here = moved(*center, random.uniform(0, radius / 2))
        if ride_seconds:
            _ride_along(reporter, vehicle["VehicleCode"], taken_at, here, random.uniform(0.5, 1.5) * ride_seconds,
                        stop)
        ended_at = time.perf_counter()
        try:
            try:
                client.call("POST", f"/trips/{trip['Guid']}/end", {"Latitude": here[0], "Longitude": here[1]},
                            key=f"end-{trip['Guid']}")
            except ApiRefusal as refused:
                if refused.code not in PLACE_REFUSED:
                    raise
                results.refusal(refused.code)  # a no-parking zone, no parking near: back where it was taken
                here = taken_at
                client.call("POST", f"/trips/{trip['Guid']}/end", {"Latitude": here[0], "Longitude": here[1]},
                            key=f"end-{trip['Guid']}-back")
        except ApiRefusal as refused:
            results.refusal(refused.code or str(refused.status))
            continue
        results.trip(start_ms, (time.perf_counter() - ended_at) * 1000)
        if reporter is not None:
            reporter.report(vehicle["VehicleCode"], latitude=here[0], longitude=here[1])  # left there, locked
        done += 1
        if pause_seconds:
            stop.wait(random.uniform(0.5, 1.5) * pause_seconds)


REPORT_EVERY = 3.0  # seconds between a riding vehicle's messages


def _ride_along(reporter, device: str, start: tuple, end: tuple, seconds: float, stop: threading.Event) -> None:
    """The ride's time, the vehicle reporting its way from `start` towards `end` (a straight line, at a bike's pace)."""
    steps = max(1, int(seconds / REPORT_EVERY))
    for step in range(1, steps + 1):
        if stop.wait(seconds / steps):
            return
        if reporter is not None:
            share = step / steps
            reporter.report(device, latitude=start[0] + (end[0] - start[0]) * share,
                            longitude=start[1] + (end[1] - start[1]) * share, speed=round(random.uniform(12, 22), 1))


def fleet_places(app_label: str) -> dict[str, list]:
    """The app label's vehicles fitted with an IoT device, read once: vehicle code -> [device id, latitude, longitude,
    battery]."""

    rows = (Vehicle.objects.filter(network__app_label__name=app_label, latitude__isnull=False,
                                   decommissioned_at__isnull=True, telemetry_device__isnull=False)
            .values_list("serial_number", "telemetry_device__device_id", "latitude", "longitude", "battery_level"))
    return {code: [device, float(lat), float(lng), battery if battery is not None else 80]
            for code, device, lat, lng, battery in rows}


def fleet_center(app_label: str | None = None) -> tuple[str | None, tuple[float, float] | None]:
    """Where simulated riders ride: the app label (default: the one with most positioned vehicles) and the centre of
    the fleet of its biggest network. One network's: an app label's networks are in different cities, and the middle
    of several cities has no vehicle. Read once, before the riders use nothing but the API."""

    vehicles = Vehicle.objects.filter(decommissioned_at__isnull=True, latitude__isnull=False)
    label = app_label or (vehicles.values("network__app_label__name").annotate(n=Count("id")).order_by("-n")
                          .values_list("network__app_label__name", flat=True).first())
    network_id = (vehicles.filter(network__app_label__name=label).values("network_id").annotate(n=Count("id"))
                  .order_by("-n", "network_id").values_list("network_id", flat=True).first())
    center = vehicles.filter(network_id=network_id).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    if network_id is None or center["lat"] is None:
        return label, None
    return label, (float(center["lat"]), float(center["lon"]))


def _heartbeats(reporter: VehicleReporter, seconds: float, stop: threading.Event) -> None:
    reporter.heartbeat()
    while not stop.wait(seconds):
        reporter.heartbeat()


def wait_for_server(base_url: str, timeout: float = 60) -> None:
    """Until the server answers (`./fleet up` starts the simulator with the server)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            RiderClient(base_url).call("POST", "/riders/login", {})
        except ApiRefusal:
            return  # it answered (the empty login is refused, as it must be)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def run(*, base_url: str, app_label: str, riders: int, trips: int, center: tuple[float, float], radius: int = 1500,
        ride_seconds: float = 0, pause_seconds: float = 0, duration: float = 0, prefix: str = "sim",
        telemetry_token: str | None = None, fleet: dict | None = None, heartbeat_seconds: float = 60) -> Results:
    """Run `riders` simulated riders at once; `trips` each, or for `duration` seconds when `trips` is 0. With a
    `telemetry_token`, the vehicles report through the telemetry API: the ridden ones their way, all of `fleet`
    their place every `heartbeat_seconds`."""
    wait_for_server(base_url)
    results, stop = Results(), threading.Event()
    reporter = VehicleReporter(base_url, telemetry_token, fleet or {}) if telemetry_token else None
    clients = []
    for index in range(riders):
        client = RiderClient(base_url)
        sign_up(client, app_label=app_label, email=f"{prefix}-{index}@simulated.invalid")
        clients.append(client)
    threads = [threading.Thread(target=ride, args=(client, results), daemon=True,
                                kwargs={"center": center, "radius": radius, "trips": trips, "ride_seconds": ride_seconds,
                                        "pause_seconds": pause_seconds, "stop": stop, "reporter": reporter})
               for client in clients]
    if reporter is not None:
        threads.append(threading.Thread(target=_heartbeats, args=(reporter, heartbeat_seconds, stop), daemon=True))
    results.began = time.perf_counter()
    for thread in threads:
        thread.start()
    if duration:
        stop.wait(duration)
    else:
        for thread in threads[:riders]:
            thread.join()
    stop.set()
    for thread in threads:
        thread.join()
    if reporter is not None:
        results.messages = reporter.sent
        if reporter.refused:
            results.refused["telemetry_message_refused"] = reporter.refused
    results.elapsed = time.perf_counter() - results.began
    return results
