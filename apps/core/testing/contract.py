"""Contract tests generated from the catalog, for every operation an app declares a case for.

An app's test module lists one `OperationCase` per operation: how to build a valid request (path ids,
query, body) on fresh data. From that alone this module generates, per operation:
- success with a superuser, inside the envelope, its payload valid against the operation's response schema;
- anonymous -3/401 (unless public), logged in without permission -4/403 (for permission operations);
- the access matrix, for permission operations, driven by the catalog's `permission` and `write`
  columns: a grant on another network sees no data (or -4/-5), a read-only grant cannot write, an
  expired or not-yet-started grant gives nothing, a correct global grant succeeds like a superuser;
  a grant limited to another cluster of the same networks sees and changes none of the case's cluster-level
  rows; history a vehicle has in another network (it moved) shows nowhere and is changed by nothing; what a rider
  of the case's networks also has in another network (a pass, a payment, a membership) shows nowhere and is
  changed by nothing (the shared-rider axis);
- every constrained parameter, broken each way its constraint allows, answered -2/400 naming it, with no
  row written or changed anywhere;
- unknown path ids -5/404; garbage bodies never a 500.
New apps get all of it by declaring cases, not by writing the tests again.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.catalog import Operation, get_operation

from .clients import client_for
from .invalid import invalid_values
from .readback import WriteWatch, assert_read_back
from .schema import assert_matches_response_schema


@dataclass
class Request:
    path_params: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    body: dict | None = None


@dataclass
class OperationCase:
    operation_id: str
    # Builds a valid request on fresh data (runs inside the test, with database access).
    request: Callable[[], Request] = Request
    expected_status: int = 200
    # False when what the operation returns belongs to no tenant (the permission list): any grant of the
    # key then sees the same data.
    scoped: bool = True
    # The content type of a successful answer that is a file (a QR code, a PDF) instead of the JSON envelope.
    binary: str | None = None
    # Keys (besides NETWORK_LEVEL_CLUSTER_REFERENCES) under which this operation's network-level rows name the
    # cluster where they happened (a vehicle timeline's trip and parking events).
    cluster_references: tuple[str, ...] = ()
    # For an aggregate over the caller's whole scope (no `networks` to refuse): the exact answer when the caller
    # sees none of the case's rows (zeros), which a grant on another network must get.
    answer_for_no_rows: object = None
    # A write's outcome is read back after its success from the rows it changed (apps.core.testing.readback);
    # `read_back(request, body)` checks more where no row holds the body as sent (a file stored, a mail sent).
    read_back: Callable | None = None
    # Body fields kept in another form than sent (a password, a file): left out of the comparison.
    not_stored: tuple[str, ...] = ()

    @property
    def operation(self) -> Operation:
        return get_operation(self.operation_id)

    def __str__(self):
        return self.operation_id


def url_for(operation: Operation, path_params: dict) -> str:
    path = operation.path
    for name, value in path_params.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def send(client: APIClient, operation: Operation, request: Request):
    url = url_for(operation, request.path_params)
    method = operation.method.lower()
    if operation.method == "GET":
        return client.get(url, request.query)
    if request.query:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode(request.query, doseq=True)}"
    if operation.body_content_type == "multipart/form-data":
        return getattr(client, method)(url, request.body or {}, format="multipart")
    return getattr(client, method)(url, request.body, format="json")


def database_state(tables: set[str] | None = None) -> dict:
    """Row count and a digest of the content of every fleetadmin table, or of `tables` (any table by name); the
    access log excluded. Exact but slow over every table (~25 ms): `expect_no_writes` reads it only for the tables
    a transaction wrote."""
    if tables is None:
        tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)  # m2m tables too
                  if model.__module__.startswith("apps.") and model._meta.label != "audit.AccessLog"}
    if not tables:
        return {}
    quote = connection.ops.quote_name
    parts = [f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {quote(table)} t"
             for table in sorted(tables)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), sorted(tables))
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def _rows_written() -> dict:
    """Rows inserted, updated or deleted so far by this transaction, per table (the access log's partitions
    excluded): PostgreSQL counts them (`pg_stat_xact_user_tables`), written and kept or written and undone alike."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
                       " WHERE relname NOT LIKE 'audit\\_accesslog%' AND n_tup_ins + n_tup_upd + n_tup_del > 0")
        return dict(cursor.fetchall())


def expect_no_writes() -> Callable[[], None]:
    """Start watching the database; the function returned asserts that it is as it was when watching started.

    Cheap in the usual case: nothing written since (one query each side). Some refusals write and roll back (a
    created row found outside the caller's scope once saved): the tables written are then compared as they are
    with themselves once everything since the watch began is undone (a savepoint taken when it began)."""
    # Outside a transaction the counters restart with every statement: two readings would always be equal.
    assert connection.in_atomic_block, "expect_no_writes() watches writes inside the test's transaction"
    savepoint = transaction.savepoint()
    before = _rows_written()

    def assert_nothing_written():
        written = {table for table, rows in _rows_written().items() if rows != before.get(table, 0)}
        if not written:
            return
        after = database_state(written)
        transaction.savepoint_rollback(savepoint)
        changed = sorted(table for table, state in database_state(written).items() if state != after[table])
        assert not changed, f"a refused write changed the database: {changed}"

    return assert_nothing_written


def send_changing_nothing(client: APIClient, operation: Operation, request: Request):
    """Send a request that must be refused; for a write, check that no table changed (a read changes nothing
    whoever asks, so comparing would prove nothing)."""
    assert_nothing_written = expect_no_writes() if operation.write else None
    response = send(client, operation, request)
    if assert_nothing_written:
        assert_nothing_written()
    return response


# --- the finer axes: a grant limited to clusters, and history left in another network ------------------------
# A network-level row (a trip, a vehicle) names the cluster where it happened or stands under these keys; the
# documented rule shows it to a grant limited to other clusters of the network (docs/access-control.md).
NETWORK_LEVEL_CLUSTER_REFERENCES = frozenset({"cluster_start", "cluster_end", "docked_at"})
OUTSIDE_MARKER = "zz-outside-scope"


def _mark_clusters_outside(own_clusters) -> int:
    """Rename every cluster and station but `own_clusters` (and their stations) to a marker; return how many.

    `update()` keeps `updated_at`, so the database comparison of refused writes is not disturbed."""
    from apps.fleet.models import Cluster, Station

    own = [c.pk for c in own_clusters]
    clusters = Cluster.objects.exclude(pk__in=own)
    stations = Station.objects.exclude(cluster__in=own)
    return (clusters.update(name=Concat(Value(OUTSIDE_MARKER + " cluster "), Cast("id", CharField())))
            + stations.update(name=Concat(Value(OUTSIDE_MARKER + " station "), Cast("id", CharField()))))


def _plant_other_clusters(networks) -> None:
    """In each network, another cluster with a station, a spot, an open alert and an open station maintenance, all
    named with the marker: what a grant limited to other clusters must neither see nor count."""
    from decimal import Decimal

    from apps.fleet.models import Cluster, FleetAlert, Maintenance, MaintenanceType, Spot, Station

    kind, _ = MaintenanceType.objects.get_or_create(key=OUTSIDE_MARKER + "-station",
                                                    defaults={"target_type": "station", "severity": "low"})
    for network in networks:
        cluster = Cluster.objects.create(network=network, name=OUTSIDE_MARKER + " planted cluster",
                                         latitude=Decimal("45.75"), longitude=Decimal("4.85"))
        station = Station.objects.create(cluster=cluster, name=OUTSIDE_MARKER + " planted station")
        Spot.objects.create(station=station, number=1)
        FleetAlert.objects.create(network=network, cluster=cluster, alert_type="station-power-cut", severity="high",
                                  message=OUTSIDE_MARKER)
        Maintenance.objects.create(network=network, type=kind, station=station, comment=OUTSIDE_MARKER,
                                   started_at=timezone.now() - timedelta(hours=1))


def _marked_strings(data, allowed: frozenset) -> list[str]:
    """Strings of `data` carrying the marker, outside the subtrees under `allowed` keys."""
    if isinstance(data, dict):
        return [s for key, value in data.items() if key not in allowed for s in _marked_strings(value, allowed)]
    if isinstance(data, list):
        return [s for value in data for s in _marked_strings(value, allowed)]
    return [data] if isinstance(data, str) and OUTSIDE_MARKER in data else []


def _cluster_level_state() -> dict:
    """Count and last change of the rows that name a cluster, per model with cluster-level rows."""
    from django.db.models import Count, Max, Q

    state = {}
    for model in apps.get_models():
        paths = getattr(model, "scope_cluster_path", None)
        if not model.__module__.startswith("apps.") or not paths:
            continue
        names_a_cluster = Q()
        for path in (paths,) if isinstance(paths, str) else paths:
            names_a_cluster |= Q(**{f"{path}__isnull": False})
        has_updated = any(f.name == "updated_at" for f in model._meta.fields)
        state[model._meta.label] = model._base_manager.filter(names_a_cluster).aggregate(
            n=Count("pk"), last=Max("updated_at") if has_updated else Count("pk"))
    return state


def _plant_history_elsewhere(vehicles) -> dict:
    """What each vehicle would have left in a network it was moved out of: a closed maintenance, a resolved alert,
    a finished trip (the latest of all, so it would be the "next trip" of any other) and an IoT command, all in a
    new network. Returns those rows' values, to compare after a write."""
    from apps.fleet.models import FleetAlert, IotCommand, Maintenance, MaintenanceType
    from apps.networks.tests.factories import make_network
    from apps.trips.models import Trip, TripState
    from apps.trips.tests.factories import make_rider

    if not vehicles:
        return {}
    elsewhere = make_network(name=OUTSIDE_MARKER + " network")
    now = timezone.now()
    kind, _ = MaintenanceType.objects.get_or_create(key=OUTSIDE_MARKER, defaults={"target_type": "vehicle",
                                                                                 "severity": "low"})
    rider = make_rider()
    for vehicle in vehicles:
        Maintenance.objects.create(network=elsewhere, type=kind, vehicle=vehicle, comment=OUTSIDE_MARKER,
                                   started_at=now - timedelta(days=30), ended_at=now - timedelta(days=29))
        FleetAlert.objects.create(network=elsewhere, vehicle=vehicle, alert_type="vehicle-fallen", severity="high",
                                  message=OUTSIDE_MARKER, resolved_at=now - timedelta(days=29))
        Trip.objects.create(network=elsewhere, vehicle=vehicle, rider=rider, state=TripState.FINISHED,
                            started_at=now - timedelta(minutes=3), ended_at=now - timedelta(minutes=1), duration=120,
                            distance=300)
        IotCommand.objects.create(network=elsewhere, vehicle=vehicle, command=OUTSIDE_MARKER,
                                  idempotency_key=f"{OUTSIDE_MARKER}-{vehicle.pk}")
    return _rows_of(elsewhere)


def _rows_of(network) -> dict:
    from apps.fleet.models import FleetAlert, IotCommand, Maintenance
    from apps.trips.models import Trip

    return {model._meta.label: list(model._base_manager.filter(network=network).order_by("pk").values())
            for model in (Maintenance, FleetAlert, Trip, IotCommand)}


def _plant_shared_riders() -> dict:
    """Every rider of the case's networks also rides in a new network, where it bought a pass, paid for a trip and
    belongs to an organization that has rules there (rows reached through the rider). Returns those rows, to
    compare after a write."""
    from apps.commerce.models import Pass, UserPass
    from apps.networks.tests.factories import make_network
    from apps.organizations.tests.factories import make_organization
    from apps.payments.models import Transaction
    from apps.riders.models import NetworkMembership
    from apps.riders.services import record_activity

    riders = list(NetworkMembership.objects.values_list("rider_id", flat=True).distinct())
    if not riders:
        return {}
    elsewhere = make_network(name=OUTSIDE_MARKER + " network")
    offered = Pass.objects.create(network=elsewhere, title=OUTSIDE_MARKER, price=3, duration=60, validity="day")
    organization = make_organization(name=OUTSIDE_MARKER + " organization")
    organization.members.add(*riders)
    now = timezone.now()
    for rider_id in riders:
        record_activity(rider_id=rider_id, network_id=elsewhere.pk, at=now)
        UserPass.objects.create(rider_id=rider_id, pass_bought=offered, price_paid=3, remaining_seconds=60)
        Transaction.objects.create(network=elsewhere, rider_id=rider_id, kind="pass", date=now,
                                   currency=elsewhere.currency, amount=Decimal("2.50"), amount_w_vat=Decimal(3),
                                   vat_rate=Decimal("0.2"), product_title=OUTSIDE_MARKER, payment_provider="local",
                                   payment_method_type="card")
    return _money_of(elsewhere)


def _money_of(network) -> dict:
    from apps.commerce.models import UserPass
    from apps.organizations.models import Organization
    from apps.payments.models import Transaction
    from apps.riders.models import NetworkMembership

    return {"passes": list(UserPass.objects.filter(pass_bought__network=network).order_by("pk").values()),
            "payments": list(Transaction.objects.filter(network=network).order_by("pk").values()),
            "memberships": list(NetworkMembership.objects.filter(network=network).order_by("pk").values()),
            "organization members": sorted(Organization.members.through.objects.filter(
                organization__name=OUTSIDE_MARKER + " organization").values_list("user_id", flat=True))}


@contextmanager
def _clock_stopped():
    """Two requests compared for equality see the same `now` (a running trip's live duration, "today")."""
    with patch("django.utils.timezone.now", return_value=timezone.now()):
        yield


def _json_or_none(case: OperationCase, response):
    return None if case.binary and response.status_code == case.expected_status else response.json()


def _violations(case: OperationCase):
    operation = case.operation
    strict_body = operation.body_content_type != "multipart/form-data"
    for param in operation.params:
        strict = param.location == "body" and strict_body
        for why, value in invalid_values(param.constraint, strict=strict, query=param.location != "body"):
            if value is None and param.location == "body" and not strict_body:
                continue  # a multipart form cannot say null
            yield pytest.param(case, param.name, param.location, value, id=f"{case}-{param.name}-{why}")
        if param.required and param.location != "path":
            yield pytest.param(case, param.name, param.location, _MISSING, id=f"{case}-{param.name}-missing")


_MISSING = object()


def assert_succeeded(case: OperationCase, response) -> None:
    assert response.status_code == case.expected_status, response.content[:800]
    if case.binary:
        assert response["Content-Type"].startswith(case.binary), response["Content-Type"]
        assert response.content
    else:
        assert response.json()["code"] == 0, response.content[:800]


def assert_error(response, code: int, status: int):
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert body["code"] == code, body
    assert body["message"]["key"] and body["message"]["text"], body
    return body


def _ids(data) -> list:
    rows = data if isinstance(data, list) else [data]
    return [row.get("id") for row in rows if isinstance(row, dict)]


def _items(data) -> list[str]:
    rows = data if isinstance(data, list) else [data]
    return [json.dumps(row, sort_keys=True, default=str) for row in rows]


def _assert_another_network_changes_nothing(case, staff_user, grant_access, *, plant, rows_of, what: str) -> None:
    """A grant on every network of the case; rows `plant()` adds in a new network (named with OUTSIDE_MARKER) are
    not shown, do not change a read's answer, and are left as they were by a write."""
    from apps.access.tests.factories import make_unit
    from apps.networks.models import Network

    operation = case.operation
    request = case.request()
    grant_access(staff_user, operation.permission, write=operation.write,
                 where=make_unit(networks=list(Network.objects.all())))
    client = client_for(staff_user)
    with _clock_stopped():
        before = None if operation.write else send(client, operation, request)
        planted = plant()
        response = send(client, operation, request)
    body = _json_or_none(case, response)
    assert OUTSIDE_MARKER not in json.dumps(body), f"{what} was shown"
    if not operation.write:
        assert body == _json_or_none(case, before), f"{what} changed the answer"
    elif planted:
        elsewhere = Network.objects.get(name=OUTSIDE_MARKER + " network")
        assert rows_of(elsewhere) == planted, f"a write changed {what}"


# Reads of rows that belong to no tenant (every network's access log, the third parties and the ERP's companies, the
# product's languages and texts, a count over every grant): a global grant only (docs/access-control.md).
GLOBAL_ONLY = frozenset({"listAccessLogs", "listErpThirdParties", "listThirdParties", "listLocalizations",
                         "listLanguages", "getGlobalPermissionUserCount"})


def contract_tests(cases: list[OperationCase]) -> dict:
    """Test functions for `cases`; assign the result into the test module's globals()."""
    by_id = {c.operation_id: c for c in cases}

    @pytest.mark.parametrize("case", cases, ids=str)
    def test_succeeds_inside_the_envelope(case, superuser):
        request = case.request()
        watch = WriteWatch() if case.operation.write else None
        response = send(client_for(superuser), case.operation, request)
        assert_succeeded(case, response)
        if case.binary:
            return
        body = response.json()
        if case.operation.returns_data:
            assert "data" in body, body
        else:
            assert "data" not in body, body
        if case.operation.paginated:
            assert isinstance(body["total"], int)
        assert_matches_response_schema(case.operation, body)
        if case.operation.write:
            assert_read_back(case, request, body, watch)

    @pytest.mark.parametrize("case", [c for c in cases if c.operation.access != "public"], ids=str)
    def test_anonymous_is_refused(case, db):
        response = send_changing_nothing(client_for(), case.operation, case.request())
        assert_error(response, -3, 401)

    @pytest.mark.parametrize("case", [c for c in cases if c.operation.access == "permission"], ids=str)
    def test_user_without_grant_is_refused(case, staff_user):
        response = send_changing_nothing(client_for(staff_user), case.operation, case.request())
        assert_error(response, -4, 403)

    granted = [c for c in cases if c.operation.access == "permission"]
    writes = [c for c in granted if c.operation.write]

    @pytest.mark.parametrize("case", granted, ids=str)
    def test_grant_on_another_network_sees_nothing(case, staff_user, superuser, grant_access):
        operation = case.operation
        request = case.request()
        reference = None
        if not operation.write:
            reference = send(client_for(superuser), operation, request)
            assert reference.status_code == case.expected_status, reference.content[:500]
        grant_access(staff_user, operation.permission, write=operation.write, where="elsewhere")
        response = send_changing_nothing(client_for(staff_user), operation, request)
        if not case.scoped:
            assert_succeeded(case, response)
            return
        body = response.json()
        if body["code"] != 0:
            if body["code"] == -2:
                # Ids of rows the caller cannot see are answered like unknown ids (no probing).
                problems = [m for ms in body["message"].get("fields", {}).values() for m in ms]
                assert problems and all(m.startswith("No ") for m in problems), body
            else:
                assert (body["code"], response.status_code) in {(-4, 403), (-5, 404)}, body
            return
        assert not operation.write, f"a write outside the caller's scope succeeded: {body}"
        data, seen = body.get("data"), reference.json().get("data")
        if case.answer_for_no_rows is not None:
            assert data == case.answer_for_no_rows, f"an aggregate counted rows outside the caller's scope: {data}"
            assert seen != data, "the case builds no row for the reference request to count"
            return
        if isinstance(data, dict):
            raise AssertionError(f"an object outside the caller's scope was returned: {data}")
        if isinstance(data, list):
            # The case's data must be visible to the superuser, or the disjointness below would prove nothing.
            assert seen, f"{operation.operation_id}: the case builds no row for the reference request to see"
            assert not set(_items(data)) & set(_items(seen)), "rows outside the caller's scope were returned"
        else:
            assert not data, data

    finer = [c for c in granted if c.scoped]

    @pytest.mark.parametrize("case", finer, ids=str)
    def test_grant_limited_to_another_cluster_reaches_none_of_its_rows(case, staff_user, grant_access):
        from apps.access.tests.factories import make_unit
        from apps.fleet.tests.factories import make_cluster
        from apps.networks.models import Network

        operation = case.operation
        request = case.request()
        # The staff member holds every network, limited to a cluster of its own in each: all the case built
        # at cluster level belongs to other clusters.
        networks = list(Network.objects.all())
        own = [make_cluster(network=network, name=f"own cluster {network.pk}") for network in networks]
        grant_access(staff_user, operation.permission, write=operation.write,
                     where=make_unit(networks=networks, clusters=own))
        _mark_clusters_outside(own)
        client = client_for(staff_user)
        with _clock_stopped():
            # A read answers the same with or without more rows in other clusters (nothing shown, nothing counted).
            first = None if operation.write else _json_or_none(case, send(client, operation, request))
            _plant_other_clusters(networks)
            assert_nothing_written, cluster_level = expect_no_writes(), _cluster_level_state()
            response = send(client, operation, request)
        body = _json_or_none(case, response)
        if not operation.write:
            assert body == first, "rows of other clusters changed the answer"
        if body is not None and body["code"] != 0:
            if body["code"] == -2:
                problems = [m for ms in body["message"].get("fields", {}).values() for m in ms]
                assert problems and all(m.startswith("No ") for m in problems), body
            else:
                assert (body["code"], response.status_code) in {(-4, 403), (-5, 404)}, body
            if operation.write:
                assert_nothing_written()
            return
        if operation.write:
            assert _cluster_level_state() == cluster_level, (
                "a write by a grant limited to other clusters changed cluster-level rows")
        allowed = NETWORK_LEVEL_CLUSTER_REFERENCES | set(case.cluster_references)
        leaked = _marked_strings(body, allowed) if body is not None else []
        assert not leaked, f"another cluster's rows were shown: {leaked[:5]}"

    @pytest.mark.parametrize("case", finer, ids=str)
    def test_history_in_another_network_shows_nowhere(case, staff_user, grant_access):
        from apps.fleet.models import Vehicle

        # The same answer with or without the other network's history (counts, "next trip", last maintenance).
        _assert_another_network_changes_nothing(
            case, staff_user, grant_access, plant=lambda: _plant_history_elsewhere(list(Vehicle.objects.all())),
            rows_of=_rows_of, what="another network's history")

    @pytest.mark.parametrize("case", finer, ids=str)
    def test_rider_shared_with_another_network_shows_only_this_side(case, staff_user, grant_access):
        _assert_another_network_changes_nothing(case, staff_user, grant_access, plant=_plant_shared_riders,
                                                rows_of=_money_of, what="a shared rider's rows of another network")

    reads = [c for c in finer if not c.operation.write]

    @pytest.mark.parametrize("case", reads, ids=str)
    def test_grant_on_its_networks_sees_exactly_what_they_hold(case, staff_user, superuser, grant_access):
        """A grant on the networks, app labels and organizations the case's rows are in (a unit, not a global grant)
        sees the superuser's answer: the same rows, ids and total, no fewer (with
        `test_grant_on_another_network_sees_nothing`, exactly them). Rows of no tenant need a global grant (-4)."""
        from apps.access.tests.factories import make_unit
        from apps.applabels.models import AppLabel
        from apps.networks.models import Network
        from apps.organizations.models import Organization

        operation = case.operation
        request = case.request()
        unit = make_unit(networks=list(Network.objects.all()), app_labels=list(AppLabel.objects.all()),
                         organizations=list(Organization.objects.all()))
        grant_access(staff_user, operation.permission, write=False, where=unit)
        with _clock_stopped():
            everything = send(client_for(superuser), operation, request)
            scoped = send(client_for(staff_user), operation, request)
        if operation.operation_id in GLOBAL_ONLY:
            assert_error(scoped, -4, 403)
            return
        assert scoped.status_code == everything.status_code == case.expected_status, scoped.content[:500]
        if case.binary:  # a file (a PDF stamps its own creation time): the same kind of file, not empty
            assert scoped["Content-Type"] == everything["Content-Type"] and scoped.content
            return
        seen, expected = scoped.json(), everything.json()
        assert _ids(seen.get("data")) == _ids(expected.get("data")), "the scoped grant saw other rows"
        assert seen.get("total") == expected.get("total")
        assert seen == expected

    @pytest.mark.parametrize("case", writes, ids=str)
    def test_read_only_grant_cannot_write(case, staff_user, grant_access):
        request = case.request()
        grant_access(staff_user, case.operation.permission, write=False)
        response = send_changing_nothing(client_for(staff_user), case.operation, request)
        assert_error(response, -4, 403)

    @pytest.mark.parametrize("when", ["expired", "future"])
    @pytest.mark.parametrize("case", granted, ids=str)
    def test_grant_outside_its_dates_gives_nothing(case, when, staff_user, grant_access):
        request = case.request()
        grant_access(staff_user, case.operation.permission, write=case.operation.write, when=when)
        response = send_changing_nothing(client_for(staff_user), case.operation, request)
        assert_error(response, -4, 403)

    @pytest.mark.parametrize("case", granted, ids=str)
    def test_global_grant_succeeds(case, staff_user, grant_access):
        request = case.request()
        grant_access(staff_user, case.operation.permission, write=case.operation.write)
        response = send(client_for(staff_user), case.operation, request)
        assert_succeeded(case, response)

    @pytest.mark.parametrize(
        "case, name, location, value", list(itertools.chain.from_iterable(_violations(c) for c in cases))
    )
    def test_invalid_parameter_is_named_and_changes_nothing(case, name, location, value, superuser):
        request = case.request()
        if location == "path":
            request.path_params = {**request.path_params, name: value}
        elif location == "query":
            query = dict(request.query)
            if value is _MISSING:
                query.pop(name, None)
            else:
                query[name] = value
            request.query = query
        else:
            body = dict(request.body or {})
            if value is _MISSING:
                body.pop(name, None)
            else:
                body[name] = value
            request.body = body
        response = send_changing_nothing(client_for(superuser), case.operation, request)
        body = assert_error(response, -2, 400)
        fields = body["message"].get("fields", {})
        assert any(f == name or f.startswith(name + ".") for f in fields), (name, fields)

    path_cases = [c for c in cases if any(p.constraint.kind == "integer" for p in c.operation.params_in("path"))]

    @pytest.mark.parametrize("case", path_cases, ids=str)
    def test_unknown_id_is_not_found(case, superuser):
        request = case.request()
        for param in case.operation.params_in("path"):
            if param.constraint.kind == "integer":  # ids; a language or a type keeps its valid value
                request.path_params = {**request.path_params, param.name: 987654321}
        response = send(client_for(superuser), case.operation, request)
        assert_error(response, -5, 404)

    body_cases = [c for c in cases if c.operation.params_in("body") and c.operation.body_content_type == "application/json"]

    @pytest.mark.parametrize("case", body_cases, ids=str)
    @pytest.mark.parametrize("garbage", [[], "text", 12, None, {"nested": {"deep": [1, {"x": None}]}}], ids=repr)
    def test_garbage_body_is_a_validation_error(case, garbage, superuser):
        request = case.request()
        request.body = garbage
        response = send(client_for(superuser), case.operation, request)
        assert_error(response, -2, 400)

    @pytest.mark.parametrize("case", body_cases, ids=str)
    def test_malformed_json_is_a_validation_error(case, superuser):
        request = case.request()
        url = url_for(case.operation, request.path_params)
        response = getattr(client_for(superuser), case.operation.method.lower())(
            url, data="{not json", content_type="application/json"
        )
        assert_error(response, -2, 400)

    assert by_id, "a module that declares no case has nothing to generate"
    anonymous = [c for c in cases if c.operation.access != "public"]
    ungranted = [c for c in cases if c.operation.access == "permission"]
    tests = {
        "test_succeeds_inside_the_envelope": (test_succeeds_inside_the_envelope, cases),
        "test_anonymous_is_refused": (test_anonymous_is_refused, anonymous),
        "test_user_without_grant_is_refused": (test_user_without_grant_is_refused, ungranted),
        "test_grant_on_another_network_sees_nothing": (test_grant_on_another_network_sees_nothing, granted),
        "test_grant_limited_to_another_cluster_reaches_none_of_its_rows": (
            test_grant_limited_to_another_cluster_reaches_none_of_its_rows, finer),
        "test_history_in_another_network_shows_nowhere": (test_history_in_another_network_shows_nowhere, finer),
        "test_rider_shared_with_another_network_shows_only_this_side": (
            test_rider_shared_with_another_network_shows_only_this_side, finer),
        "test_grant_on_its_networks_sees_exactly_what_they_hold": (
            test_grant_on_its_networks_sees_exactly_what_they_hold, reads),
        "test_read_only_grant_cannot_write": (test_read_only_grant_cannot_write, writes),
        "test_grant_outside_its_dates_gives_nothing": (test_grant_outside_its_dates_gives_nothing, granted),
        "test_global_grant_succeeds": (test_global_grant_succeeds, granted),
        "test_invalid_parameter_is_named_and_changes_nothing": (
            test_invalid_parameter_is_named_and_changes_nothing, [v for c in cases for v in _violations(c)]),
        "test_unknown_id_is_not_found": (test_unknown_id_is_not_found, path_cases),
        "test_garbage_body_is_a_validation_error": (test_garbage_body_is_a_validation_error, body_cases),
        "test_malformed_json_is_a_validation_error": (test_malformed_json_is_a_validation_error, body_cases),
    }
    # Only the tests that have something to run: an empty parameter set would show up as a skip.
    return {name: test for name, (test, params) in tests.items() if params}
