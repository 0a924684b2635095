from apps.core.testing.contract import OperationCase, Request, contract_tests

from .factories import make_station

CASES = [
    OperationCase("listClusterStations", lambda: Request(path_params={"id": make_station().cluster_id})),
]

globals().update(contract_tests(CASES))
