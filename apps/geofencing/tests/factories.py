from apps.fleet.tests.factories import make_cluster
from apps.geofencing.models import VirtualParking
from apps.networks.tests.factories import make_network

# A square of about 110 m around (45.7640, 4.8356), Lyon; points are [latitude, longitude].
SQUARE = [[45.7635, 4.8351], [45.7635, 4.8361], [45.7645, 4.8361], [45.7645, 4.8351]]


def make_parking(*, network=None, cluster=None, shape=SQUARE, capacity=10) -> VirtualParking:
    if cluster is not None:
        network = cluster.network
    parking = VirtualParking(network=network or make_network(), cluster=cluster, capacity=capacity)
    parking.set_shape(shape)
    parking.save()
    return parking


def make_cluster_parking(**fields) -> VirtualParking:
    return make_parking(cluster=make_cluster(), **fields)
