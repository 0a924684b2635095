from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.core.exceptions import NotFound, ValidationFailed

from .models import NotificationSetting, NotificationTarget


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


def setting_save(*, network, setting: NotificationSetting | None = None, notification_type: str, alert_types: list,
                 alert_severities: list, check_interval: int | None = None,
                 check_delay: int | None = None) -> NotificationSetting:
    setting = setting or NotificationSetting(network=network)
    setting.notification_type = notification_type
    setting.alert_types, setting.alert_severities = _unique(alert_types), _unique(alert_severities)
    if check_interval is not None:
        setting.check_interval = check_interval
    if check_delay is not None:
        setting.check_delay = check_delay
    setting.save()
    return setting


@transaction.atomic
def target_add_user(*, setting: NotificationSetting, user_id: int) -> NotificationTarget:
    """Targets are the operator's staff: an unknown, inactive or non-staff user is -2. Adding twice is a no-op."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True, is_staff=True).first()
    if user is None:
        raise ValidationFailed.on("user_id", f"No active staff user with id {user_id}.")
    return NotificationTarget.objects.get_or_create(setting=setting, user=user)[0]


def target_remove(*, setting: NotificationSetting, user_id: int | None = None, email: str | None = None) -> None:
    if (user_id is None) == (email is None):
        raise ValidationFailed.on("user_id", "Give either user_id or email.")
    targets = setting.targets.filter(user_id=user_id) if user_id is not None else setting.targets.filter(
        email__iexact=email)
    if not targets.delete()[0]:
        raise NotFound("This notification setting has no such target.")
