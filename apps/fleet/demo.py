from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User

from .models import (
    Cluster,
    ClusterDescription,
    ExternalLock,
    FleetAlert,
    Maintenance,
    MaintenanceType,
    Spot,
    Station,
    StationEnergyReading,
    StationOutage,
    Vehicle,
    VehicleModel,
)

PLACES = ["Gare", "Hôtel de Ville", "Université", "Marché", "Parc", "Musée", "Port", "Stade", "Hôpital", "Théâtre",
          "Bibliothèque", "Place Centrale", "Quartier Nord", "Quartier Sud", "Pont Neuf", "Arena"]
# name -> what it is (published in the open-data feeds)
MODELS = {
    "E-Bike V3": {"form_factor": "bicycle", "propulsion_type": "electric_assist", "max_range_meters": 60_000,
                  "max_speed_kmh": 25},
    "E-Scooter S2": {"form_factor": "scooter_standing", "propulsion_type": "electric", "max_range_meters": 35_000,
                     "max_speed_kmh": 25},
    "Cargo C1": {"form_factor": "cargo_bicycle", "propulsion_type": "electric_assist", "max_range_meters": 40_000,
                 "max_speed_kmh": 25},
}


def seed(ctx):
    models = [VehicleModel.objects.update_or_create(name=name, defaults=kind)[0] for name, kind in MODELS.items()]
    per_network_clusters = 16 if ctx.large else 6
    per_network_vehicles = 600 if ctx.large else 250
    clusters_made = {}
    for index, network in enumerate(ctx.made["networks"].values()):
        if Cluster.objects.filter(network=network).exists():
            clusters_made[network.name] = list(Cluster.objects.filter(network=network))
            continue
        base_lat, base_lng = Decimal(45 + index), Decimal(4 + index)
        clusters = []
        for n, place in enumerate(PLACES[:per_network_clusters]):
            cluster = Cluster.objects.create(
                network=network, name=place, address=f"{n + 1} rue {place}",
                latitude=base_lat + Decimal(ctx.rng.randint(0, 9000)) / 100000,
                longitude=base_lng + Decimal(ctx.rng.randint(0, 9000)) / 100000,
                badge_reader=ctx.rng.random() < 0.3,
                comment="Key box code 4412" if n % 4 == 0 else "",
            )
            ClusterDescription.objects.bulk_create([
                ClusterDescription(cluster=cluster, lang="en", text=f"Near the {place}; the stations are on the left."),
                ClusterDescription(cluster=cluster, lang="fr", text=f"Près de : {place}. Stations sur la gauche."),
            ])
            for s in range(ctx.rng.randint(1, 3)):
                station = Station.objects.create(cluster=cluster, name=f"{place} {s + 1}",
                                                 serial_number=f"ST{network.pk:02d}{n:02d}{s}")
                Spot.objects.bulk_create(Spot(station=station, number=k + 1) for k in range(ctx.rng.randint(6, 12)))
            clusters.append(cluster)
        free_spots = list(Spot.objects.filter(station__cluster__network=network).order_by("id"))
        ctx.rng.shuffle(free_spots)
        now = timezone.now()
        vehicles = []
        for k in range(per_network_vehicles):
            spot = free_spots.pop() if free_spots and ctx.rng.random() < 0.6 else None
            vehicles.append(Vehicle(
                network=network, serial_number=f"V{network.pk:02d}{k:05d}", model=ctx.rng.choice(models), spot=spot,
                battery_level=ctx.rng.randint(5, 100),
                latitude=None if spot else base_lat + Decimal(ctx.rng.randint(0, 9000)) / 100000,
                longitude=None if spot else base_lng + Decimal(ctx.rng.randint(0, 9000)) / 100000,
                position_at=None if spot else now - timedelta(minutes=ctx.rng.randint(1, 600)),
            ))
        Vehicle.objects.bulk_create(vehicles)
        ExternalLock.objects.bulk_create(
            ExternalLock(vehicle=v, model="Abus Granit", type=ExternalLock.Type.U, serial_number=f"LK-{v.serial_number}",
                         code=f"{ctx.rng.randint(0, 9999):04d}")
            for v in vehicles if v.model.name == "Cargo C1"
        )
        clusters_made[network.name] = clusters
        _station_history(ctx, Station.objects.filter(cluster__network=network))
        seed_incidents(ctx, network)
    ctx.made["clusters"] = clusters_made
    ctx.log(f"fleet: {sum(map(len, clusters_made.values()))} clusters, {Vehicle.objects.count()} vehicles")


def _station_history(ctx, stations):
    """A month of energy readings (every 3 hours, more by day) and a few outages per station."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    readings, outages = [], []
    for station in stations:
        for step in range(240):
            at = now - timedelta(hours=3 * step)
            daytime = 7 <= at.hour <= 21
            readings.append(StationEnergyReading(station=station, measured_at=at,
                                                 energy_wh=ctx.rng.randint(120, 400) if daytime else ctx.rng.randint(40, 90)))
        for _ in range(ctx.rng.randint(0, 3)):
            started = now - timedelta(hours=ctx.rng.randint(2, 24 * 60))
            ongoing = ctx.rng.random() < 0.05
            outages.append(StationOutage(
                station=station, started_at=started, reason=ctx.rng.choice(StationOutage.Reason.values),
                ended_at=None if ongoing else started + timedelta(minutes=ctx.rng.randint(5, 600))))
    StationEnergyReading.objects.bulk_create(readings, batch_size=5000)
    StationOutage.objects.bulk_create(outages)


MAINTENANCE_TYPES = [("flat-tyre", "vehicle", "low"), ("brake-check", "vehicle", "high"), ("battery-swap", "vehicle", "info"),
                     ("spot-sensor", "spot", "low"), ("station-screen", "station", "high")]


def seed_incidents(ctx, network):
    """Open and closed maintenances and alerts for a network's fleet (run once per new network)."""

    # The seed's kinds (staff-raised history); the telemetry's rules raise the others from the simulated vehicles.
    seed_alert_types = FleetAlert.Type.values[:10]

    types = {key: MaintenanceType.objects.get_or_create(key=key, defaults={"target_type": target, "severity": severity})[0]
             for key, target, severity in MAINTENANCE_TYPES}
    vehicles = list(Vehicle.objects.filter(network=network)[:40])
    spots = list(Spot.objects.filter(station__cluster__network=network)[:10])
    stations = list(Station.objects.filter(cluster__network=network)[:4])
    riders = list(User.objects.filter(email__endswith="@riders.demo").values_list("id", flat=True)[:30])
    now = timezone.now()
    maintenances = []
    for index, target in enumerate(vehicles[:12] + spots[:4] + stations[:2]):
        kind = target._meta.model_name
        started = now - timedelta(hours=ctx.rng.randint(1, 24 * 20))
        maintenances.append(Maintenance(
            network=network, type=ctx.rng.choice([t for t in types.values() if t.target_type == kind]),
            started_at=started, ended_at=started + timedelta(hours=ctx.rng.randint(1, 48)) if index % 3 else None,
            comment="Reported by the field team" if index % 4 == 0 else "", **{kind: target}))
    Maintenance.objects.bulk_create(maintenances)
    alerts = []
    for index in range(25):
        vehicle = ctx.rng.choice(vehicles)
        created = now - timedelta(minutes=ctx.rng.randint(5, 60 * 24 * 30))
        alerts.append(FleetAlert(
            network=network, vehicle=vehicle, alert_type=ctx.rng.choice(seed_alert_types),
            severity=ctx.rng.choice(FleetAlert.Severity.values), user_id=ctx.rng.choice(riders) if index % 2 else None,
            message="Reported by the vehicle", resolved_at=created + timedelta(hours=2) if index % 3 else None))
    FleetAlert.objects.bulk_create(alerts)
