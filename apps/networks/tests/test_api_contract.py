from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.reference.models import Country

from .factories import make_network, make_third_party
from apps.applabels.tests.factories import make_app_label


def _create_network():
    return Request(body={
        "name": "Lyon", "default_vat": 0.2, "country_id": Country.objects.get(alpha_2="FR").pk, "currency": "EUR",
        "default_vehicle_guarantee": 150, "trip_to_skip_pre_auth_guarantee": -1, "timezone": "Europe/Paris",
        "third_party_id": make_third_party().pk, "app_label_id": make_app_label().pk,
    })


def _out_of_order():
    from apps.networks.services import out_of_order_create

    return out_of_order_create(network=make_network(), type="winter", start_date="2026-12-01T00:00:00Z")


CASES = [
    OperationCase("createNetworkOutOfOrder", lambda: Request(
        path_params={"network_id": make_network().pk},
        body={"type": "winter", "reason": "Snow", "start_date": "2026-12-01T00:00:00Z",
              "end_date": "2027-03-01T00:00:00Z"})),
    OperationCase("getOutOfOrder", lambda: Request(path_params={"id": _out_of_order().pk}, query={"lang": "fr"})),
    OperationCase("updateOutOfOrder", lambda: Request(path_params={"id": _out_of_order().pk},
                                                      body={"reason": "Snow", "end_date": "2027-02-01T00:00:00Z"})),
    OperationCase("listNetworks", lambda: (make_network(), Request())[1]),
    OperationCase("createNetwork", _create_network),
    OperationCase("listNetworksShort", lambda: (make_network(), Request())[1]),
    OperationCase("getNetwork", lambda: Request(path_params={"network_id": make_network().pk})),
    OperationCase("closeNetwork", lambda: Request(path_params={"network_id": make_network().pk})),
    OperationCase("listThirdParties", lambda: (make_third_party(), Request())[1]),
    OperationCase("createThirdParty", lambda: Request(body={
        "name": "Owner", "address": "1 rue", "zipcode": "69001", "city": "Lyon",
        "country_id": Country.objects.get(alpha_2="FR").pk})),
    OperationCase("listErpThirdParties"),
    OperationCase("importErpThirdParty", lambda: Request(body={"erp_id": 1001})),
]

globals().update(contract_tests(CASES))
