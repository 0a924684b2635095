from decimal import Decimal

from .models import Cluster, ClusterDescription, Spot, Station, Vehicle, VehicleModel

PLACES = ["Gare", "Hôtel de Ville", "Université", "Marché", "Parc", "Musée", "Port", "Stade", "Hôpital", "Théâtre",
          "Bibliothèque", "Place Centrale", "Quartier Nord", "Quartier Sud", "Pont Neuf", "Arena"]
MODELS = ["E-Bike V3", "E-Scooter S2", "Cargo C1"]


def seed(ctx):
    models = [VehicleModel.objects.get_or_create(name=name)[0] for name in MODELS]
    per_network_clusters = 16 if ctx.large else 6
    per_network_vehicles = 400 if ctx.large else 40
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
        Vehicle.objects.bulk_create(
            Vehicle(network=network, serial_number=f"V{network.pk:02d}{k:05d}", model=ctx.rng.choice(models),
                    spot=free_spots.pop() if free_spots and ctx.rng.random() < 0.6 else None)
            for k in range(per_network_vehicles)
        )
        clusters_made[network.name] = clusters
    ctx.made["clusters"] = clusters_made
    ctx.log(f"fleet: {sum(map(len, clusters_made.values()))} clusters, {Vehicle.objects.count()} vehicles")
