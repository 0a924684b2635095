"""The demo's IoT provider ("Simulated IoT", whose token the rider simulator uses), a device in every vehicle, and the
last day of messages of a few vehicles per network (standing, their batteries draining), ingested through the same
service as the API's, so that states, routes, battery charts and alerts are there from the start."""
from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import hash_token
from apps.fleet.models import Vehicle

from .ingestion import ingest
from .models import TelemetryDevice, TelemetryProvider

# The demo provider's token: the simulator of `./fleet up` reports the vehicles with it. Never used outside the demo
# (a real provider's token is made in the admin and shown once).
DEMO_TOKEN = "tlm_demo-simulated-iot-provider"
HISTORY_VEHICLES = 8  # per network
STEP = timedelta(minutes=15)
BATCH = 500


def seed(ctx):
    if TelemetryProvider.objects.filter(name="Simulated IoT").exists():
        return
    provider = TelemetryProvider.objects.create(name="Simulated IoT", key_hash=hash_token(DEMO_TOKEN))
    vehicles = list(Vehicle.objects.filter(decommissioned_at__isnull=True).order_by("id"))
    TelemetryDevice.objects.bulk_create(TelemetryDevice(provider=provider, vehicle=v, device_id=v.serial_number)
                                        for v in vehicles)
    now = timezone.now().replace(microsecond=0)
    messages = []
    per_network: dict[int, int] = {}
    for vehicle in vehicles:
        if vehicle.latitude is None:
            continue
        per_network[vehicle.network_id] = per_network.get(vehicle.network_id, 0) + 1
        steps = 96 if per_network[vehicle.network_id] <= HISTORY_VEHICLES else 1
        battery = vehicle.battery_level if vehicle.battery_level is not None else 80
        for step in range(steps, 0, -1):  # oldest first; the last one where the vehicle is now
            jitter = 0 if step == 1 else ctx.rng.uniform(-0.00003, 0.00003)  # GPS noise of a standing vehicle
            messages.append({
                "id": f"demo-{vehicle.pk}-{step}", "vehicle": vehicle.serial_number,
                "time": (now - STEP * (step - 1) - timedelta(seconds=30)).isoformat(),
                "latitude": float(vehicle.latitude) + jitter, "longitude": float(vehicle.longitude) + jitter,
                "battery": min(100, battery + (step - 1) // 8), "locked": True, "speed": 0.0})
    for start in range(0, len(messages), BATCH):
        ingest(provider=provider, batch=messages[start:start + BATCH])
    ctx.log(f"telemetry: {len(vehicles)} devices, {len(messages)} messages")
