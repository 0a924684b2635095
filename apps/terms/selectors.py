"""Reads of terms of use."""

from .models import TermsOfUse


def current_terms(*, app_label_id, network=None) -> list:
    """The latest published terms a rider of the app label must have accepted (and those of `network`)."""

    published = TermsOfUse.objects.filter(published_at__isnull=False)
    latest = [published.filter(target_type=TermsOfUse.Target.APP_LABEL, app_label_id=app_label_id).first()]
    if network is not None:
        latest.append(published.filter(target_type=TermsOfUse.Target.NETWORK, network=network).first())
    return [terms for terms in latest if terms is not None]
