from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import NotAuthenticated, Throttled

from .models import AuthToken, User, hash_token


def _failure_keys(*, email: str, ip: str) -> list[str]:
    return [f"login-failures:email:{email.lower()}", f"login-failures:ip:{ip}"]


def _check_not_locked(keys: list[str]) -> None:
    counts = cache.get_many(keys)
    if any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values()):
        raise Throttled(
            f"Too many failed logins; try again in {settings.LOGIN_FAILURE_WINDOW_SECONDS // 60} minutes.",
            key="auth.too_many_failures",
        )


def _record_failure(keys: list[str]) -> None:
    for key in keys:
        # add() starts the window only on the first failure; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def login(*, email: str, password: str, ip: str, user_agent: str = "", request=None) -> tuple[str, AuthToken]:
    """Check the credentials and issue a bearer token; failures per email and per IP are rate limited."""
    keys = _failure_keys(email=email, ip=ip)
    _check_not_locked(keys)
    user: User | None = authenticate(request, email=email.lower(), password=password)
    if user is None or not user.is_active:
        _record_failure(keys)
        raise NotAuthenticated("Wrong email or password.", key="auth.invalid_credentials")
    cache.delete(keys[0])
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return issue_token(user=user, user_agent=user_agent)


def issue_token(*, user, user_agent: str) -> tuple[str, AuthToken]:
    raw = AuthToken.new_raw_key()
    token = AuthToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(hours=settings.AUTH_TOKEN_TTL_HOURS),
        user_agent=user_agent[:512],
    )
    return raw, token


def logout(*, token: AuthToken) -> None:
    AuthToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def token_refresh(*, token: AuthToken, user_agent: str = "") -> tuple[str, AuthToken]:
    """A new token for the bearer of a valid `token`, which is revoked: the app keeps its session without the
    password, and a token cannot be refreshed twice (the second refresh finds it revoked)."""
    revoked = AuthToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if not revoked:
        raise NotAuthenticated("This token was already refreshed or revoked.", key="auth.token_revoked")
    return issue_token(user=token.user, user_agent=user_agent or token.user_agent)
