from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.networks.tests.factories import make_network

from .factories import make_rule, rule_body

CASES = [
    OperationCase("listPricing", lambda: Request(query={"networks": str(make_rule().network_id)})),
    OperationCase("createPricing", lambda: Request(body=rule_body(make_network()))),
    OperationCase("updatePricing", lambda: (lambda rule: Request(path_params={"id": rule.pk},
                                                                 body=rule_body(rule.network, unlock_price=2)))(make_rule())),
    OperationCase("deletePricing", lambda: Request(path_params={"id": make_rule().pk})),
]

globals().update(contract_tests(CASES))
