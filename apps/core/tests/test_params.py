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


def test_query_fields_copied_per_serializer_share_no_bound_state():
    """Query serializers copy their declared fields shallowly (CatalogSerializer.get_fields): each instance's fields
    are its own, bound to it, and the declared ones stay unbound for the next request."""
    from django.http import QueryDict

    serializer = catalog_serializer("listTrips", "query")
    first = serializer(data=QueryDict("networks=1,2&page_size=50"))
    second = serializer(data=QueryDict("networks=3&page_size=abc"))
    assert first.is_valid() and not second.is_valid()
    assert first.validated_data["networks"] == [1, 2] and set(second.errors) == {"page_size"}
    for name in ("networks", "page_size"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
        assert serializer._declared_fields[name].field_name is None  # never bound: still a template
