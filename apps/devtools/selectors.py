"""What the apps' versions allow."""
from __future__ import annotations

from apps.core.exceptions import Refused

from .models import AppVersion


def check_app_version(*, app_label, platform: str | None, version: int | None) -> None:
    """err_AppTooOld (426, with the store's `StoreUrl`) when the app (`platform`, `version`) is older than the app
    label's minimal version for that platform; nothing when the app did not say which it is."""

    if platform is None or version is None:
        return
    minimal = AppVersion.objects.filter(app_label=app_label, platform=platform).values_list("minimal", flat=True)
    if not minimal or version >= minimal[0]:
        return
    store_url = (app_label.ios_store_url if platform == "ios" else app_label.android_store_url) or ""
    raise Refused("err_AppTooOld", "This version of the app is too old: update it.", http_status=426, area="app",
                  StoreUrl=store_url)
