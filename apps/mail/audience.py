"""Who a newsletter goes to, as one SQL query (selector).

The riders of each target (an app label's riders, a network's members, an organization's members, a list's
subscribers), each target narrowed by its filters, united; active riders with an address only. Consent by type:
- legal: everyone targeted (no unsubscribing from legal notices);
- network-status: everyone targeted but those who unsubscribed from one of the brand's network-status lists;
- marketing: only riders subscribed to a marketing list of the brand (opt-in), still subscribed;
- custom-list: the subscribers of the targeted lists.

Filters, per target (`operator` compares the rider's value to `value`):
- trip_count: the rider's finished trips (in the target's network for a network target);
- visited_station: the rider started or ended a trip at cluster `value` (operator `=` only);
- register_duration / last_activity: seconds since registration / last activity (`=`: the same whole day;
  never active counts as infinitely long ago);
- traveled_distance: meters ridden over finished trips (in the target's network for a network target);
- usage_frequency: finished trips in the last 30 days.
"""
from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.organizations.models import Organization
from apps.riders.models import NetworkMembership
from apps.trips.models import Trip, TripState

from .models import MailingList, Newsletter, NewsletterTarget, NewsletterTargetFilter, Subscription

DAY = 86400


def _compare(expression_name: str, operator: str, value) -> Q:
    lookup = {"<": "lt", "=": "exact", ">": "gt"}[operator]
    return Q(**{f"{expression_name}__{lookup}": value})


def _trips(target: NewsletterTarget):
    trips = Trip.objects.filter(rider=OuterRef("pk"), state=TripState.FINISHED)
    return trips.filter(network_id=target.network_id) if target.network_id else trips


def _aggregate(queryset, expression):
    return Coalesce(Subquery(queryset.order_by().values("rider").annotate(v=expression).values("v")[:1]), Value(0),
                    output_field=IntegerField())


def _elapsed(field: str, operator: str, seconds: int, now) -> Q:
    """Seconds since `field` compared to `seconds` (`=`: the same whole day)."""
    if operator == "=":
        days = seconds // DAY
        return Q(**{f"{field}__gt": now - timedelta(days=days + 1), f"{field}__lte": now - timedelta(days=days)})
    moment = now - timedelta(seconds=seconds)
    # Longer ago than `seconds` means an earlier date; a null date is infinitely long ago.
    if operator == ">":
        return Q(**{f"{field}__lt": moment}) | Q(**{f"{field}__isnull": True})
    return Q(**{f"{field}__gt": moment})


def _filter_condition(target: NewsletterTarget, item: NewsletterTargetFilter, annotations: dict, now) -> Q:
    kind, name = item.filter_type, f"_f{item.pk}"
    if kind == NewsletterTargetFilter.Type.VISITED_STATION:
        return Q(Exists(Trip.objects.filter(Q(start_cluster_id=item.value) | Q(end_cluster_id=item.value),
                                            rider=OuterRef("pk"))))
    if kind == NewsletterTargetFilter.Type.REGISTER_DURATION:
        return _elapsed("register_at", item.operator, item.value, now)
    if kind == NewsletterTargetFilter.Type.LAST_ACTIVITY:
        return _elapsed("last_activity", item.operator, item.value, now)
    if kind == NewsletterTargetFilter.Type.TRIP_COUNT:
        annotations[name] = _aggregate(_trips(target), Count("pk"))
    elif kind == NewsletterTargetFilter.Type.TRAVELED_DISTANCE:
        annotations[name] = _aggregate(_trips(target), Sum("distance"))
    else:  # usage frequency: trips in the last 30 days
        annotations[name] = _aggregate(_trips(target).filter(started_at__gte=now - timedelta(days=30)), Count("pk"))
    return _compare(name, item.operator, item.value)


def _target_condition(target: NewsletterTarget) -> Q:
    kind = target.target_type
    if kind == NewsletterTarget.Type.APP_LABEL:
        return Q(app_label_id=target.app_label_id)
    if kind == NewsletterTarget.Type.NETWORK:
        return Q(Exists(NetworkMembership.objects.filter(rider=OuterRef("pk"), network_id=target.network_id)))
    if kind == NewsletterTarget.Type.ORGANIZATION:
        return Q(Exists(Organization.members.through.objects.filter(user_id=OuterRef("pk"),
                                                                    organization_id=target.organization_id)))
    return Q(Exists(Subscription.objects.filter(rider=OuterRef("pk"), mailing_list_id=target.mailing_list_id,
                                                unsubscribed_at__isnull=True)))


def _consent(newsletter: Newsletter) -> Q:
    if newsletter.type == Newsletter.Type.LEGAL:
        return Q()
    if newsletter.type == Newsletter.Type.NETWORK_STATUS:
        lists = MailingList.objects.filter(kind=MailingList.Kind.NETWORK_STATUS, app_label_id=newsletter.app_label_id)
        return ~Q(Exists(Subscription.objects.filter(rider=OuterRef("pk"), mailing_list__in=lists,
                                                     unsubscribed_at__isnull=False)))
    if newsletter.type == Newsletter.Type.MARKETING:
        lists = MailingList.objects.filter(kind=MailingList.Kind.MARKETING)
        if newsletter.app_label_id:
            lists = lists.filter(app_label_id=newsletter.app_label_id)
        return Q(Exists(Subscription.objects.filter(rider=OuterRef("pk"), mailing_list__in=lists,
                                                    unsubscribed_at__isnull=True)))
    return Q()  # custom lists: the targets are the lists' subscribers already


def audience(newsletter: Newsletter, targets=None):
    """The riders `newsletter` goes to (a queryset of users; one SQL statement whatever the filters)."""
    now = timezone.now()
    targets = list(newsletter.targets.prefetch_related("filters")) if targets is None else targets
    annotations: dict = {}
    reached = Q(pk__in=[])
    for target in targets:
        condition = _target_condition(target)
        for item in target.filters.all():
            condition &= _filter_condition(target, item, annotations, now)
        reached |= condition
    riders = get_user_model().objects.filter(is_active=True, is_staff=False).exclude(email="")
    if newsletter.transport == Newsletter.Transport.PUSH:
        riders = get_user_model().objects.filter(is_active=True, is_staff=False)
    return riders.annotate(**annotations).filter(reached).filter(_consent(newsletter))
