"""Writes on the open-data settings: agency tokens (one transaction each)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import AgencyToken


@transaction.atomic
def agency_token_create(*, agency: str, networks, expires_at=None) -> tuple[AgencyToken, str]:
    """A new token for `agency`, seeing `networks`: (the row, the token to hand over; only its hash is kept)."""
    token, key_hash = AgencyToken.new_token()
    row = AgencyToken.objects.create(agency=agency, key_hash=key_hash, expires_at=expires_at)
    row.networks.set(networks)
    return row, token


def agency_tokens_revoke(*, tokens) -> int:
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
