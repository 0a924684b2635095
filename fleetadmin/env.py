"""Typed readers for settings taken from the environment.

Each helper fails loudly (ImproperlyConfigured) on a value it cannot read, so a typo in a deployment's
environment stops the process at start instead of silently falling back to a default.
"""
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use one of 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be >= {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def email_settings(url: str) -> dict:
    """Django's EMAIL_* settings from an EMAIL_URL, read by dj-email-url, plus the spellings our docs use:
    `smtp+tls://` (STARTTLS), `smtp+ssl://` (implicit TLS) and `file:PATH` (relative or absolute)."""
    import dj_email_url

    scheme, _, rest = url.partition(":")
    if scheme == "file":
        path = rest[2:] if rest.startswith("//") else rest
        return {"EMAIL_BACKEND": dj_email_url.SCHEMES["file"], "EMAIL_FILE_PATH": path or "mail"}
    if scheme in ("smtp+tls", "smtp+ssl"):
        url = f"smtp:{rest}{'&' if '?' in rest else '?'}{scheme[5:]}=1"
    elif scheme not in dj_email_url.SCHEMES:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {scheme!r} (smtp, smtp+tls, smtp+ssl, console, file)")
    settings = {key: value for key, value in dj_email_url.parse(url).items() if value not in (None, "")}
    if scheme.startswith("smtp"):
        settings.setdefault("EMAIL_TIMEOUT", 30)  # a stuck server fails the job's batch (it retries), never hangs it
    return settings
