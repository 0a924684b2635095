"""listTrips' pages are read off an index in the keyset order, for every sort key and direction, whichever network
owns the newest trips (issue 20): the plan of the query the view runs is checked (apps.core.testing.plans)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.testing.clients import client_for
from apps.core.testing.plans import assert_served_by_index
from apps.networks.tests.factories import make_network
from apps.trips.api.views import TripList
from apps.trips.tests.factories import make_trip

INDEX = {None: "trips_trip_network_796ad9_idx", "start_date": "trip_network_started_idx",
         "duration": "trip_network_duration_idx", "distance": "trip_network_distance_idx",
         ("end_date", "DESC"): "trip_network_ended_idx", ("end_date", "ASC"): "trip_network_ended_asc_idx"}


def rows_query(client, params) -> str:
    """The SQL of the page's rows (the query with a LIMIT over the trips)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/dashboard/v1/trips", params)
    assert response.json()["code"] == 0, response.json()
    pages = [q["sql"] for q in queries if 'FROM "trips_trip"' in q["sql"] and "LIMIT" in q["sql"]
             and "ORDER BY" in q["sql"]]
    return pages[-1]


@pytest.mark.parametrize("sort_by", [None, *TripList.sort_fields])
@pytest.mark.parametrize("sort_dir", ["DESC", "ASC"])
def test_every_sort_key_is_served_by_its_index_without_sorting(superuser, sort_by, sort_dir):
    older, newer = make_network(), make_network()
    trips = [make_trip(network=older) for _ in range(3)] + [make_trip(network=newer) for _ in range(3)]
    client = client_for(superuser)
    params = {"networks": older.pk, **({"sort_by": sort_by, "sort_dir": sort_dir} if sort_by else
                                       {"primary_key_dir": sort_dir})}
    index = INDEX.get((sort_by, sort_dir)) or INDEX[sort_by]
    assert_served_by_index(rows_query(client, params), index)
    # The next page too (the keyset condition on (sort value, id)).
    assert_served_by_index(rows_query(client, {**params, "last_primary_key": trips[1].pk}), index)
