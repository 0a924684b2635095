"""Reads about riders: the user list's figures, a rider's history, the accounts sharing a device."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db.models import (Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery,
                              Sum, Value)
from django.db.models.functions import Coalesce, Length

from apps.core.api.params import require_ordered_ranges
from apps.core.filters import filter_by
from apps.organizations.models import Organization, OrganizationRule

from .models import Device, NetworkMembership, UserBlock

LAST_ITEMS = 10


def _memberships(networks) -> QuerySet:
    memberships = NetworkMembership.objects.filter(rider=OuterRef("pk"))
    return memberships if networks is None else memberships.filter(network_id__in=networks)


def organizations_seen(*, networks, covered: QuerySet) -> QuerySet:
    """The organizations a caller sees through a rider: those its grant covers (`covered`, by organizational units),
    and those with rules in one of `networks`, the caller's (None: every organization). An organization of another
    network the rider also rides in is neither shown nor changed."""

    if networks is None:
        return Organization.objects.all()
    return Organization.objects.filter(Q(pk__in=covered.values("pk")) | Q(pk__in=OrganizationRule.objects.filter(
        network_id__in=networks).values("organization_id")))


def with_rider_figures(*, users: QuerySet, networks=None, joined: bool = False, organizations=None) -> QuerySet:
    """Annotate the user list's figures over `networks` (None: every network): `network_trip_count`,
    `network_last_activity`, `blocked`, `organization_id` (the rider's organization among `organizations`, the ones
    the caller sees; None: any).

    `joined`: `users` is already joined to its one membership of the one network asked for, whose columns are the
    figures; sorting and filtering on them then walk the membership indexes instead of a subquery per rider."""

    memberships = Organization.members.through.objects.filter(user_id=OuterRef("pk"))
    if organizations is not None:
        memberships = memberships.filter(organization_id__in=organizations.values("pk"))
    organization = memberships.order_by("organization_id").values("organization_id")[:1]
    if joined:
        figures = {"network_trip_count": F("network_memberships__trip_count"),
                   "network_last_activity": F("network_memberships__last_activity_at")}
    else:
        per_rider = _memberships(networks).order_by().values("rider")
        figures = {"network_trip_count": Coalesce(Subquery(per_rider.annotate(n=Sum("trip_count")).values("n"),
                                                           output_field=IntegerField()), Value(0)),
                   "network_last_activity": Subquery(per_rider.annotate(last=Max("last_activity_at")).values("last"))}
    return users.annotate(
        **figures,
        blocked=Exists(UserBlock.objects.filter(rider=OuterRef("pk"), unblocked_at__isnull=True)),
        organization_id=Subquery(organization),
    )


USER_FILTERS = {
    "user_id_min": "id__gte",
    "user_id_max": "id__lte",
    "email": "email__icontains",
    "lastname": "lastname__icontains",
    "firstname": "firstname__icontains",
    "register_at_min": "register_at__gte",
    "register_at_max": "register_at__lte",
    "last_activity_min": "network_last_activity__gte",
    "last_activity_max": "network_last_activity__lte",
    "blocked": "blocked",
    "trip_count_min": "network_trip_count__gte",
    "trip_count_max": "network_trip_count__lte",
    "label_name": "app_label__name__iexact",
    "phone_number": "phone_number__icontains",
}


def narrows_users(*, filters: dict) -> bool:
    return any(filters.get(name) not in (None, []) for name in (*USER_FILTERS, "organization_name"))


def user_list(*, users: QuerySet, filters: dict, organizations=None) -> QuerySet:
    """listUsers: riders of the `networks` (or of none, with `without_network`), with the seed's filters: names,
    e-mails and phone numbers by fragment (case-insensitive), the app label's name exactly, bounds inclusive."""

    require_ordered_ranges(filters, "user_id", "register_at", "last_activity", "trip_count")
    networks = filters["networks"]
    if filters.get("without_network"):
        # Riders who never interacted with a network; staff accounts are not riders.
        users = with_rider_figures(users=users.filter(~Exists(NetworkMembership.objects.filter(rider=OuterRef("pk"))),
                                                is_staff=False), networks=networks, organizations=organizations)
    elif len(networks) == 1:
        # The common case, one network: one row per rider through the join to its membership.
        users = with_rider_figures(users=users.filter(network_memberships__network_id=networks[0]), joined=True,
                                   organizations=organizations)
    else:
        users = with_rider_figures(users=users.filter(Exists(_memberships(networks))), networks=networks,
                                   organizations=organizations)
    users = filter_by(users, filters, USER_FILTERS)
    if filters.get("organization_name"):
        named = (organizations if organizations is not None else Organization.objects).filter(
            name__icontains=filters["organization_name"], members=OuterRef("pk"))
        users = users.filter(Exists(named))
    return users.select_related("app_label")


def rider_count(*, networks) -> int:
    """Riders of `networks` (the unfiltered list's total): one index-only count over the memberships."""
    return NetworkMembership.objects.filter(network_id__in=networks).values("rider_id").distinct().count()


def user_search(*, users: QuerySet, email: str, networks=None, organizations=None, limit: int = 20) -> QuerySet:
    """Riders whose e-mail contains `email` (case-insensitive; the trigram index serves it), shortest e-mail first so
    an exact match leads; their figures over `networks` (the caller's: a rider shared with another network shows
    only this side's trips and activity)."""

    return (with_rider_figures(users=users.filter(email__icontains=email), networks=networks, organizations=organizations)
            .select_related("app_label")
            .order_by(Length("email"), "email", "id")[:limit])


def last_actions(*, rider, visible: Callable[[QuerySet], QuerySet], before: datetime | None) -> list[dict]:
    """The `LAST_ITEMS` latest actions of the rider, in the networks the caller sees, strictly before `before`, in one
    query: every registered source gives (type, date, id, network) rows, combined with UNION ALL."""
    sources = [source(rider, visible) for source in ACTION_SOURCES]
    if before is not None:
        sources = [rows.filter(moment__lt=before) for rows in sources]
    combined = sources[0].union(*sources[1:], all=True) if len(sources) > 1 else sources[0]
    return list(combined.order_by("-moment", "-object_id")[:LAST_ITEMS])


def _trips_started(rider, visible):
    # at call time: trips imports riders at load time (a cycle).
    from apps.trips.models import Trip

    return visible(Trip.objects.filter(rider=rider)).order_by().values(
        type=Value("trip-start"), moment=F("started_at"), object_id=F("id"), network_ref=F("network_id"))


def _trips_ended(rider, visible):
    # at call time: trips imports riders at load time (a cycle).
    from apps.trips.models import Trip

    return visible(Trip.objects.filter(rider=rider, ended_at__isnull=False)).order_by().values(
        type=Value("trip-end"), moment=F("ended_at"), object_id=F("id"), network_ref=F("network_id"))


def _reports_opened(rider, visible):
    # at call time: support imports riders at load time (a cycle).
    from apps.support.models import Report

    first_network = Report.networks.through.objects.filter(report_id=OuterRef("pk")).order_by("network_id")
    return visible(Report.objects.filter(rider=rider)).order_by().values(
        type=Value("report"), moment=F("created_at"), object_id=F("id"),
        network_ref=Subquery(first_network.values("network_id")[:1]))


# Where a rider's actions come from (apps register more: payments). Each returns rows of the same shape.
ACTION_SOURCES: list[Callable] = [_trips_started, _trips_ended, _reports_opened]


def register_action_source(*, source: Callable) -> Callable:
    """Apps add a source of a rider's last actions: `source(rider, visible)` -> (type, moment, object_id,
    network_ref) rows. Registering twice (a reloaded app) adds it once."""
    if source.__module__ + source.__qualname__ not in {s.__module__ + s.__qualname__ for s in ACTION_SOURCES}:
        ACTION_SOURCES.append(source)
    return source


def device_users(*, users: QuerySet, device_id: str) -> QuerySet:
    """Every rider (among `users`, the visible ones) who used the device, with when they did."""

    used = Device.objects.filter(device_id=device_id, rider=OuterRef("pk"))
    return (users.filter(Exists(used))
            .annotate(device_first_seen=Subquery(used.values("first_seen_at")[:1]),
                      device_last_seen=Subquery(used.values("last_seen_at")[:1]))
            .order_by("-device_last_seen", "id"))


def shared_devices(*, rider) -> list[dict]:
    """The rider's devices also used by other accounts (a fraud signal), with how many other accounts."""

    others = Device.objects.filter(device_id=OuterRef("device_id")).exclude(rider=rider)
    counted = others.order_by().values("device_id").annotate(n=Count("id")).values("n")
    return list(Device.objects.filter(rider=rider).filter(Exists(others))
                .annotate(other_accounts=Subquery(counted, output_field=IntegerField()))
                .values("device_id", "platform", "other_accounts"))
