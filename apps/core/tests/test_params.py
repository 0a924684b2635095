import pytest

from apps.core.api.params import catalog_serializer


def _check(operation_id, location, data):
    serializer = catalog_serializer(operation_id, location)(data=data)
    return serializer.is_valid(), serializer


@pytest.mark.parametrize("raw", ["1,5,7", ["1", "5", "7"], ["1,5", "7"]])
def test_query_lists_accept_comma_and_repeated_forms(raw):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    if isinstance(raw, list):
        query.setlist("networks", raw)
    else:
        query["networks"] = raw
    ok, serializer = _check("listClusters", "query", query)
    assert ok, serializer.errors
    assert serializer.validated_data["networks"] == [1, 5, 7]


def test_body_refuses_unknown_fields_and_json_strings_for_numbers():
    ok, serializer = _check("createLanguage", "body", {"iso_639_1": "fr", "name": "Français", "is_admin": True})
    assert not ok and "is_admin" in serializer.errors
    ok, serializer = _check("importErpThirdParty", "body", {"erp_id": "12"})
    assert not ok and "erp_id" in serializer.errors


def test_query_defaults_come_from_the_catalog():
    ok, serializer = _check("listAccessLogs", "query", {})
    assert ok and serializer.validated_data["page_size"] == 20
