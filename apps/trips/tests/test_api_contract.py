from datetime import timedelta

from apps.core.testing.contract import OperationCase, Request, contract_tests

from .factories import make_trip


def _list_trips():
    trip = make_trip()
    return Request(query={"networks": str(trip.network_id)})


CASES = [
    OperationCase("listTrips", _list_trips),
    OperationCase("getTrip", lambda: Request(path_params={"id": make_trip().pk})),
    OperationCase("setTripBillingStop", lambda: (lambda trip: Request(
        path_params={"id": trip.pk}, body={"date": (trip.started_at + timedelta(minutes=5)).isoformat()}))(make_trip())),
    OperationCase("getVehicleStatistics", lambda: Request(path_params={"id": make_trip().vehicle_id})),
    OperationCase("getVehicleTimeline", lambda: Request(path_params={"id": make_trip().vehicle_id},
                                                        query={"before_date": "2099-01-01T00:00:00Z"})),
]

globals().update(contract_tests(CASES))


def test_demo_filter_applies_only_when_given(admin_client):
    real, demo = make_trip(), None
    demo = make_trip(network=real.network, demo=True)
    url, networks = "/api/dashboard/v1/trips", str(real.network_id)
    ids = lambda **q: [t["id"] for t in admin_client.get(url, {"networks": networks, **q}).json()["data"]]  # noqa: E731
    assert ids() == [demo.pk, real.pk]
    assert ids(demo="true") == [demo.pk]
    assert ids(demo="false") == [real.pk]
