from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import AuthToken, hash_token


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
        token = (
            AuthToken.objects.select_related("user")
            .filter(key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("Invalid or expired token.")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
