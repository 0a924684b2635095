from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.fleet.tests.factories import make_vehicle
from apps.geofencing.tests.factories import SQUARE
from apps.networks.tests.factories import make_network
from apps.reference.models import Country

from .factories import make_stock, store


def _create():
    return Request(body={"name": "Gerland depot", "country": Country.objects.get(alpha_2="FR").pk, "city": "Lyon",
                         "zipcode": "69007", "street": "12 rue de Gerland", "network_id": make_network().pk})


def _stock_with_vehicle():
    stock = make_stock()
    store(make_vehicle(network=stock.network), stock)
    return stock


CASES = [
    OperationCase("listStocks", lambda: Request(query={"networks": str(make_stock().network_id)})),
    OperationCase("createStock", _create),
    OperationCase("deleteStock", lambda: Request(path_params={"id": make_stock().pk})),
    OperationCase("listStockVehicles", lambda: Request(query={"stocks": str(_stock_with_vehicle().pk)})),
    OperationCase("updateStockShape", lambda: Request(body={"stock_id": make_stock().pk, "shape": SQUARE})),
]

globals().update(contract_tests(CASES))
