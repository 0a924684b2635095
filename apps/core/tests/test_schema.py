from apps.core.api.error_keys import BUSINESS_RULE_KEYS
from apps.core.catalog import dashboard_operations, get_operation, mobile_operations
from apps.core.management.commands.api_coverage import served_operations


def test_every_served_operation_is_in_the_schema_as_the_catalog_says(schema):
    served = served_operations()
    for (method, path), operation_id in served.items():
        operation = get_operation(operation_id)
        assert (operation.method, operation.path) == (method, path)
        entry = schema["paths"][path][method.lower()]
        assert entry["operationId"] == operation.operation_id
        assert entry["tags"] == [operation.tag]


def test_every_operation_shows_the_envelope_and_the_error_schema(schema):
    for (method, path), operation_id in served_operations().items():
        responses = schema["paths"][path][method.lower()]["responses"]
        assert responses["400"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorEnvelope")
        if "application/json" not in responses["200"]["content"]:  # a file (QR code, PDF): see test_qrcodes
            assert all(c["schema"]["format"] == "binary" for c in responses["200"]["content"].values()), operation_id
            continue
        success = responses["200"]["content"]["application/json"]["schema"]
        if get_operation(operation_id).api == "mobile":
            assert success["properties"]["Result"]["enum"] == ["Ok"], operation_id
            assert responses["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/MobileErrorEnvelope")
            continue
        assert success["properties"]["code"]["enum"] == [0]
        assert ("data" in success["properties"]) == get_operation(operation_id).returns_data, operation_id
    error = schema["components"]["schemas"]["ErrorEnvelope"]
    for key in BUSINESS_RULE_KEYS:
        assert key in error["properties"]["message"]["properties"]["key"]["description"]


def test_paginated_lists_document_total_and_constrained_parameters(schema):
    entry = schema["paths"]["/api/dashboard/v1/access-logs"]["get"]
    assert "total" in entry["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    page_size = next(p for p in entry["parameters"] if p["name"] == "page_size")
    assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (10, 500)


def test_swagger_and_redoc_pages_are_served_without_a_cdn(client):
    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"cdn.jsdelivr.net" not in response.content and b"/static/drf_spectacular_sidecar/" in response.content


def test_api_coverage_command_counts_served_operations(capsys):
    from django.core.management import call_command

    call_command("api_coverage")
    lines = capsys.readouterr().out.strip().splitlines()
    apis = [get_operation(op).api for op in served_operations().values()]
    done, mobile = apis.count("dashboard"), apis.count("mobile")
    declared, dashboard = len(mobile_operations()), len(dashboard_operations())
    assert lines[-1] == f"{done}/{dashboard} dashboard operations, {mobile}/{declared} mobile operations"
    assert len([line for line in lines if line.startswith("missing")]) == dashboard - done + declared - mobile


def test_schema_generates_without_warnings_and_validates(tmp_path):
    from django.core.management import call_command

    # --fail-on-warn: an unresolvable field, two components of one name... fail the suite.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))


def test_schema_states_what_the_server_enforces(schema):
    trip = schema["paths"]["/api/dashboard/v1/trips/{id}"]["get"]
    path_id = next(p for p in trip["parameters"] if p["name"] == "id")
    assert path_id["schema"]["minimum"] == 1
    login = schema["paths"]["/api/dashboard/v1/auth/login"]["post"]
    assert {"400", "401", "429"} <= set(login["responses"]) and not login.get("security") and not schema.get("security")
    bodies = schema["components"]["schemas"]
    ref = login["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert bodies[ref]["additionalProperties"] is False and login["requestBody"]["required"] is True
    names = [key for key in bodies]
    assert len(names) == len(set(names)) and "BalancingDiscountOut" in names
    border = schema["paths"]["/api/dashboard/v1/geofencing/border/shape"]["put"]
    ref = border["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    shape = bodies[ref]["properties"]["shape"]
    assert shape["type"] == "array" and shape["items"]["items"]["type"] == "number"


def test_schema_states_the_bounds_of_money_amounts(schema):
    bodies = schema["components"]["schemas"]

    def body_of(path, method):
        ref = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return bodies[ref.rsplit("/", 1)[-1]]["properties"]

    refund = body_of("/api/dashboard/v1/transactions/{id}/refund", "post")["amount"]
    assert (refund["minimum"], refund.get("exclusiveMinimum")) == (0, True)
    credit = body_of("/api/dashboard/v1/users/{id}/wallets", "post")["amount"]
    assert credit["minimum"] > 0 or credit.get("exclusiveMinimum") is True
    for method in ("post", "put"):
        path = "/api/dashboard/v1/offers" if method == "post" else "/api/dashboard/v1/offers/{id}"
        offer = body_of(path, method)
        assert offer["given_amount"]["minimum"] == 0 and offer["price"]["minimum"] == 0


def test_every_operation_types_its_data(schema):
    untyped = []
    for (method, path), operation_id in served_operations().items():
        content = schema["paths"][path][method.lower()]["responses"]["200"]["content"].get("application/json")
        data = content and content["schema"].get("properties", {}).get("data")
        if data is not None and not data:
            untyped.append(operation_id)
    assert not untyped, untyped
