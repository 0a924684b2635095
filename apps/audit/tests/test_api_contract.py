from apps.core.testing.contract import OperationCase, Request, contract_tests

CASES = [
    OperationCase("listAccessLogs", lambda: Request(query={"page_size": 10, "http_code_min": 0})),
]

globals().update(contract_tests(CASES))
