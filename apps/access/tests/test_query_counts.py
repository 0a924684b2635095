"""List endpoints of access, fleet and trips answer in a fixed number of queries, whatever the row count."""
import pytest
from rest_framework.test import APIClient

from apps.fleet.tests.factories import make_cluster, make_station, make_vehicle
from apps.networks.tests.factories import make_network
from apps.trips.tests.factories import make_rider, make_trip

from .factories import make_grant, make_role, make_unit

# Per request: authentication is forced; rights 2 (scoped users) + the access log 3 (savepoint, insert, release).
OVERHEAD = 5


@pytest.fixture
def many(db):
    network = make_network()
    units = [make_unit(networks=[network], clusters=[make_cluster(network=network)]) for _ in range(15)]
    holders = [make_rider() for _ in range(15)]
    for unit, user in zip(units, holders):
        make_grant(user, "trips", unit=units[0])
        make_grant(user, make_role(permissions=["stations"]), unit=unit)
    cluster = make_cluster(network=network)
    for _ in range(12):
        station = make_station(cluster=cluster, spots=4)
        for spot in station.spots.all()[:2]:
            make_vehicle(network=network, spot=spot)
    for _ in range(30):
        make_trip(network=network, start_cluster=cluster, end_cluster=cluster)
    return {"network": network, "units": units, "holders": holders, "cluster": cluster}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("url, params, queries", [
    ("/api/dashboard/v1/organizational-units", {}, 5),  # units + 4 prefetched relations
    ("/api/dashboard/v1/roles", {"lang": "fr"}, 2),  # label overrides + roles
    ("/api/dashboard/v1/permissions", {"lang": "fr"}, 1),
    ("/api/dashboard/v1/trips", {"page_size": 500}, 2),  # count + page
    ("/api/dashboard/v1/clusters/{cluster}/stations", {}, 3),  # cluster + stations + spots with vehicles
    ("/api/dashboard/v1/organizational-units/{unit}/users", {}, 3),  # unit + users + their grants
    ("/api/dashboard/v1/users/{holder}/permissions", {}, 2),  # user + grants
])
def test_lists_cost_fixed_queries(many, superuser, url, params, queries, django_assert_max_num_queries):
    url = url.format(cluster=many["cluster"].pk, unit=many["units"][0].pk, holder=many["holders"][0].pk)
    if "trips" in url:
        params = {**params, "networks": many["network"].pk}
    with django_assert_max_num_queries(queries + OVERHEAD):
        response = client_for(superuser).get(url, params)
    body = response.json()
    assert body["code"] == 0, body
    assert len(body["data"]) > 1
