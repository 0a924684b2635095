from django.db.models import Q, QuerySet

from apps.core.filters import email_matches_pattern

from .models import NetworkSettings


def settings_of(*, network) -> NetworkSettings:
    """The network's settings (the defaults, unsaved, until first written)."""
    return NetworkSettings.objects.filter(network=network).first() or NetworkSettings(network=network)


def access_rules_admitting(*, rules: QuerySet, email: str, organization_ids=(), app_label_id=None) -> QuerySet:
    """The rules that let a rider in: the email matches the rule's pattern with PostgreSQL's LIKE (as operators
    write them, e.g. `%@acme.com`), or the rider belongs to the rule's organization or app label."""
    admits = email_matches_pattern(email, "email_pattern")
    if organization_ids:
        admits |= Q(organization_id__in=list(organization_ids))
    if app_label_id is not None:
        admits |= Q(app_label_id=app_label_id)
    return rules.filter(admits)
