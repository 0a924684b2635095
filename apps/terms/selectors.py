"""Reads of terms of use."""

from .models import TermsOfUse


def published_terms(*, target_type: str, **target):
    """One target's published terms (an app label's, a network's), the latest first: `.first()` is the one in force
    (also read as a subquery, by the trip start's checks)."""
    return TermsOfUse.objects.filter(published_at__isnull=False, target_type=target_type, **target).order_by(
        "-version", "-id")


def current_terms(*, app_label_id, network=None) -> list:
    """The latest published terms a rider of the app label must have accepted (and those of `network`)."""

    latest = [published_terms(target_type=TermsOfUse.Target.APP_LABEL, app_label_id=app_label_id).first()]
    if network is not None:
        latest.append(published_terms(target_type=TermsOfUse.Target.NETWORK, network=network).first())
    return [terms for terms in latest if terms is not None]
