from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.fleet.tests.factories import make_cluster
from apps.networks.tests.factories import make_network

from .factories import SQUARE, make_cluster_parking, make_parking

def _speed_zone():
    from apps.geofencing.services import speed_zone_create

    return speed_zone_create(network=make_network(), shape=SQUARE, max_speed=10)


CASES = [
    OperationCase("getNetworkBorder", lambda: Request(query={"network_id": make_network().pk})),
    OperationCase("updateNetworkBorderShape", lambda: Request(body={"network_id": make_network().pk, "shape": SQUARE})),
    OperationCase("updateNetworkBorderSettings", lambda: Request(body={
        "network_id": make_network().pk, "trigger_alert": True, "notify_user": True, "reduce_vehicle_speed": False,
        "play_vehicle_sound": True, "lock_vehicle": False})),
    OperationCase("listSpeedZones", lambda: Request(query={"network_id": _speed_zone().network_id})),
    OperationCase("createSpeedZone", lambda: Request(body={"network_id": make_network().pk, "shape": SQUARE,
                                                           "max_speed": 15})),
    OperationCase("updateSpeedZone", lambda: Request(body={"speed_zone_id": _speed_zone().pk, "max_speed": 20})),
    OperationCase("deleteSpeedZone", lambda: Request(path_params={"id": _speed_zone().pk})),
    OperationCase("listClusterParkings", lambda: Request(path_params={"id": make_cluster_parking().cluster_id})),
    OperationCase("createClusterParking", lambda: Request(path_params={"id": make_cluster().pk},
                                                          body={"shape": SQUARE, "capacity": 8})),
    OperationCase("listVirtualParkings", lambda: Request(query={"network_id": make_parking().network_id})),
    OperationCase("createVirtualParking", lambda: Request(body={"shape": SQUARE, "capacity": 0,
                                                                "network_id": make_network().pk})),
    OperationCase("updateVirtualParking", lambda: Request(path_params={"id": make_parking().pk},
                                                          body={"shape": SQUARE[:3], "capacity": 3})),
    OperationCase("deleteVirtualParking", lambda: Request(path_params={"id": make_parking().pk})),
]

globals().update(contract_tests(CASES))
