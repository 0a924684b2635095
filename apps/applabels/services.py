from django.db import transaction

from apps.core.exceptions import BusinessRuleViolation, on_constraint
from apps.core.models import UNSET, assign

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


@transaction.atomic
def app_label_update(*, app_label: AppLabel, require_sms_validation: bool, phone_sms_provider_id,
                     require_terms_of_use: bool, auto_delete_users: bool, android_store_url, ios_store_url,
                     saved_payment_method_is_optional: bool, website, contact_email, contact_phone_number) -> AppLabel:
    assign(app_label, require_sms_validation=require_sms_validation, phone_sms_provider_id=phone_sms_provider_id,
           require_terms_of_use=require_terms_of_use, auto_delete_users=auto_delete_users,
           android_store_url=android_store_url, ios_store_url=ios_store_url,
           saved_payment_method_is_optional=saved_payment_method_is_optional, website=website,
           contact_email=contact_email, contact_phone_number=contact_phone_number)
    app_label.save()
    return app_label


@transaction.atomic
def app_label_set_billing(*, app_label: AppLabel, street: str, zip_code: str, city: str, country, name=UNSET,
                          legal_form=UNSET, vat_number=UNSET, registration_number=UNSET, capital=UNSET,
                          issuer=UNSET) -> AppLabelBilling:
    address = {"street": street, "zip_code": zip_code, "city": city, "country": country}
    billing, _ = AppLabelBilling.objects.select_for_update().get_or_create(app_label=app_label, defaults=address)
    assign(billing, **address, name=name, legal_form=legal_form, vat_number=vat_number,
           registration_number=registration_number, capital=capital, issuer=issuer)
    billing.save()
    return billing


@transaction.atomic
def app_label_set_mail_setting(*, app_label: AppLabel, values: dict) -> AppLabelMailSetting:
    setting, _ = AppLabelMailSetting.objects.update_or_create(app_label=app_label, defaults=values)
    return setting
