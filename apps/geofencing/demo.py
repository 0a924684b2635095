from apps.fleet.models import Cluster, Vehicle

from .models import BorderSettings, NetworkBorder, NoParkingZone, SpeedZone, VirtualParking

HALF_SIDE = 0.0006  # degrees: a square of roughly 130 m x 90 m at these latitudes


def _square_around(latitude: float, longitude: float) -> list:
    return [[latitude - HALF_SIDE, longitude - HALF_SIDE], [latitude - HALF_SIDE, longitude + HALF_SIDE],
            [latitude + HALF_SIDE, longitude + HALF_SIDE], [latitude + HALF_SIDE, longitude - HALF_SIDE]]


def seed(ctx):
    """Parkings next to the first clusters of every network and one standalone parking, with vehicles in them."""
    for network in ctx.made["networks"].values():
        if VirtualParking.objects.filter(network=network).exists():
            continue
        clusters = list(Cluster.objects.filter(network=network).order_by("id")[:3])
        parkings = []
        for cluster in clusters:
            parking = VirtualParking(network=network, cluster=cluster, capacity=ctx.rng.randint(4, 12))
            parking.set_shape(_square_around(float(cluster.latitude) + 0.001, float(cluster.longitude)))
            parkings.append(parking)
        if clusters:
            standalone = VirtualParking(network=network, capacity=20)
            standalone.set_shape(_square_around(float(clusters[0].latitude) - 0.002, float(clusters[0].longitude)))
            parkings.append(standalone)
        VirtualParking.objects.bulk_create(parkings)
        # A few free-floating vehicles left in each parking.
        floating = list(Vehicle.objects.filter(network=network, spot__isnull=True, latitude__isnull=False)[:4 * len(parkings)])
        for index, vehicle in enumerate(floating):
            lat, lng = parkings[index % len(parkings)].shape[0]
            vehicle.latitude, vehicle.longitude = round(lat + HALF_SIDE / 2, 6), round(lng + HALF_SIDE, 6)
        Vehicle.objects.bulk_update(floating, ["latitude", "longitude"])
        _seed_border_and_zones(network)
    ctx.log(f"geofencing: {VirtualParking.objects.count()} virtual parkings, {SpeedZone.objects.count()} speed zones")


def _seed_border_and_zones(network):
    """A border around the network's clusters (with a margin), border settings and a slow zone downtown."""
    clusters = list(Cluster.objects.filter(network=network).values_list("latitude", "longitude"))
    if not clusters or NetworkBorder.objects.filter(network=network).exists():
        return
    lats, lngs = [float(c[0]) for c in clusters], [float(c[1]) for c in clusters]
    south, north, west, east = min(lats) - 0.01, max(lats) + 0.01, min(lngs) - 0.01, max(lngs) + 0.01
    border = NetworkBorder(network=network)
    border.set_shape([[south, west], [south, east], [north, east], [north, west]])
    border.save()
    BorderSettings.objects.create(network=network, trigger_alert=True, notify_user=True, reduce_vehicle_speed=True)
    zone = SpeedZone(network=network, max_speed=12)
    zone.set_shape(_square_around(lats[0], lngs[0]))
    zone.save()
    # A square where no trip may end, off the first cluster.
    lawn = NoParkingZone(network=network, name="Park lawn")
    lawn.set_shape(_square_around(lats[0] + 0.004, lngs[0] + 0.004))
    lawn.save()
