from datetime import UTC, datetime

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from apps.core.prepared import PreparedQuery

from .models import AuthToken, User, hash_token

_TOKEN_FIELDS = [field.attname for field in AuthToken._meta.concrete_fields]
_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
# Sentinels no call passes: a stored hash is 64 hex digits, and no token expires before 1900.
_KEY_HASH, _NOW = "sentinel: no hash", datetime(1900, 1, 1, 0, 0, 9, tzinfo=UTC)


def _live_token(key_hash, now):
    return (AuthToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True, expires_at__gt=now).order_by()
            .values(*_TOKEN_FIELDS, *[f"user__{name}" for name in _USER_FIELDS]))


# Every API request reads its token and user: compiled once per process (the ORM's compiling cost more than the
# query), run with each request's hash and time (apps.core.prepared).
LIVE_TOKEN = PreparedQuery(_live_token, key_hash=_KEY_HASH, now=_NOW)


def live_token(raw: str) -> AuthToken | None:
    """The unrevoked, unexpired token of this raw value, with its user, or None."""
    rows = LIVE_TOKEN.rows(key_hash=hash_token(raw), now=timezone.now())
    if not rows:
        return None
    row = rows[0]
    token = AuthToken.from_db("default", _TOKEN_FIELDS, [row[name] for name in _TOKEN_FIELDS])
    token.user = User.from_db("default", _USER_FIELDS, [row[f"user__{name}"] for name in _USER_FIELDS])
    return token


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`, checked against the stored hash; expired or revoked tokens fail."""

    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise AuthenticationFailed("Invalid Authorization header: expected 'Bearer <token>'.")
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid token.") from None
        token = live_token(raw)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("Invalid or expired token.")
        return token.user, token
