from django.db import transaction

from apps.core.exceptions import BusinessRuleViolation, on_constraint

from .models import AppLabel, AppLabelBilling, AppLabelMailSetting


def _name_taken(name: str | None = None) -> BusinessRuleViolation:
    named = f" named {name!r}" if name else " with this name"
    return BusinessRuleViolation("app_label.name_taken", f"An app label{named} already exists.")


# A concurrent create of the same name loses on the unique key and gets the same answer as the check.
on_constraint(_name_taken, model=AppLabel, fields=("name",))


@transaction.atomic
def app_label_create(*, name: str, display_name: str, billing_info: dict) -> AppLabel:
    if AppLabel.objects.filter(name=name).exists():
        raise _name_taken(name)
    label = AppLabel.objects.create(name=name, display_name=display_name)
    AppLabelBilling.objects.create(app_label=label, **billing_info)
    return label


def _update_fields(instance, values: dict) -> None:
    for field, value in values.items():
        setattr(instance, field, value)
    instance.save()


@transaction.atomic
def app_label_update(*, app_label: AppLabel, values: dict) -> AppLabel:
    _update_fields(app_label, values)
    return app_label


@transaction.atomic
def app_label_set_billing(*, app_label: AppLabel, values: dict) -> AppLabelBilling:
    billing, _ = AppLabelBilling.objects.select_for_update().get_or_create(
        app_label=app_label, defaults={k: values.get(k, "") for k in ("street", "zip_code", "city", "country")}
    )
    _update_fields(billing, values)
    return billing


@transaction.atomic
def app_label_set_mail_setting(*, app_label: AppLabel, values: dict) -> AppLabelMailSetting:
    setting, _ = AppLabelMailSetting.objects.update_or_create(app_label=app_label, defaults=values)
    return setting
