from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.fleet.tests.factories import make_cluster
from apps.networks.tests.factories import make_network

from .factories import SQUARE, make_cluster_parking, make_parking

CASES = [
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
