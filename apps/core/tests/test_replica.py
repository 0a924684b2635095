"""Replica routing (apps.core.replica): a read-only API request reads from the replica until it writes; writes,
transactions, logins and other requests use the primary."""
import pytest
from django.test import RequestFactory

from apps.accounts.models import AuthToken
from apps.core import replica
from apps.networks.tests.factories import make_network
from apps.trips.models import Trip

router = replica.ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def through_middleware(method: str, path: str, view):
    request = getattr(RequestFactory(), method.lower())(path)
    return replica.ReplicaReadsMiddleware(lambda request: view())(request)


def test_a_read_only_api_request_reads_from_the_replica_until_it_writes(db, with_replica):
    seen = []

    def view():
        seen.append(router.db_for_read(Trip))
        make_network()  # an INSERT on the primary
        seen.append(router.db_for_read(Trip))
        return "done"

    assert through_middleware("GET", "/api/dashboard/v1/trips", view) == "done"
    # Tests run inside a transaction, where reads stay on the primary; outside one the first read is the replica's.
    assert seen == ["default", "default"]


def test_routing_outside_a_transaction(with_replica, monkeypatch):
    from contextlib import nullcontext

    class Connection:
        in_atomic_block = False

        def execute_wrapper(self, wrapper):
            return nullcontext()

    monkeypatch.setattr(replica, "connections", {"default": Connection()})
    seen = []

    def view():
        seen.append(router.db_for_read(Trip))
        seen.append(router.db_for_read(AuthToken))  # tokens: always the primary
        replica._notice_writes(lambda *args: None, 'UPDATE "trips_trip" SET ...', (), False, {})
        seen.append(router.db_for_read(Trip))
        return "done"

    through_middleware("GET", "/api/dashboard/v1/trips", view)
    assert seen == ["replica", "default", "default"]
    seen.clear()
    through_middleware("POST", "/api/dashboard/v1/trips", lambda: seen.append(router.db_for_read(Trip)))
    through_middleware("GET", "/admin/trips/trip/", lambda: seen.append(router.db_for_read(Trip)))
    assert seen == ["default", "default"]  # a write request; an admin page
    assert router.db_for_read(Trip) == "default"  # outside any request (Celery tasks, commands)
    assert router.db_for_write(Trip) == "default" and not router.allow_migrate("replica", "trips")


def test_without_a_replica_nothing_is_routed(db):
    seen = []
    through_middleware("GET", "/api/dashboard/v1/trips", lambda: seen.append(router.db_for_read(Trip)))
    assert seen == ["default"]


def test_prepared_queries_read_where_the_router_says(db, monkeypatch):
    """Queries compiled once per process (apps.core.prepared) ask the router too: the stored trip counts of a
    read-only request may come from the replica, tokens never do."""
    from apps.accounts.authentication import live_token
    from apps.core import prepared
    from apps.trips.models import TripDay
    from apps.trips.rollups import STORED_TRIP_COUNTS

    network, asked = make_network(), []
    monkeypatch.setattr(prepared.router, "db_for_read", lambda model, **hints: asked.append(model) or "default")
    assert STORED_TRIP_COUNTS.rows(network_ids=[network.pk]) == []
    assert live_token("no such token") is None
    assert asked == [TripDay, AuthToken]
    assert replica.ReplicaRouter().db_for_read(AuthToken) == "default"


def test_prepared_queries_sent_together_go_to_each_ones_database(db, monkeypatch):
    """A page's names (apps.core.api.rows.RowsById.each) are sent in one round trip per database: the riders from
    the primary (accounts are never read from the replica), the vehicles and clusters from where the router says."""
    from django.db import connection

    from apps.core import prepared
    from apps.core.api.rows import RowsById
    from apps.fleet.tests.factories import make_cluster, make_vehicle
    from apps.trips.api.views import CLUSTER_NAMES, RIDER_NAMES, VEHICLE_NAMES
    from apps.trips.tests.factories import make_rider

    rider, vehicle, cluster = make_rider(), make_vehicle(), make_cluster()
    aliases = {AuthToken._meta.app_label: "default"}
    monkeypatch.setattr(prepared.router, "db_for_read", lambda model, **hints: aliases.get(
        model._meta.app_label, "other"))
    monkeypatch.setattr(prepared, "connections", {"default": connection, "other": connection})
    sent = []
    with connection.execute_wrapper(lambda execute, sql, *args: sent.append(sql) or execute(sql, *args)):
        riders, vehicles, clusters, nobody = RowsById.each(
            (RIDER_NAMES, [rider.pk, rider.pk, None]), (VEHICLE_NAMES, [vehicle.pk]), (CLUSTER_NAMES, [cluster.pk]),
            (RIDER_NAMES, [None]))
    assert riders == {rider.pk: {"id": rider.pk, "email": rider.email, "firstname": rider.firstname,
                                 "lastname": rider.lastname}}
    assert vehicles == {vehicle.pk: {"id": vehicle.pk, "serial_number": vehicle.serial_number,
                                     "model_name": vehicle.model.name}}
    assert clusters == {cluster.pk: {"id": cluster.pk, "name": cluster.name}} and nobody == {}
    assert len(sent) == 2 and sent[1].count("SELECT") == 2  # the riders alone, then vehicles and clusters together
