from django.conf import settings


def client_ip(request) -> str:
    """The caller's address; X-Forwarded-For is trusted only when TRUST_X_FORWARDED_FOR is set (behind a proxy)."""
    meta = request.META
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:128]
    return meta.get("REMOTE_ADDR", "")[:128]
