"""Money in the admin's change lists is shown in its row's currency, rounded to the currency's minor units."""
from decimal import Decimal

from django.contrib import admin
from django.test import Client
from django.urls import reverse

from apps.core.admin import ScopedModelAdmin
from apps.core.admin_money import MoneyColumn, is_money
from apps.core.exports import columns_for


def test_every_amount_a_change_list_shows_is_shown_with_a_currency(superuser):
    request = type("Request", (), {"user": superuser})()
    missing = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedModelAdmin):
            continue
        fields = {field.name: field for field in model._meta.concrete_fields}
        for column in model_admin.get_list_display(request):
            if isinstance(column, str) and column in fields and is_money(fields[column]):
                missing.append(f"{model.__name__}.{column}")
            if isinstance(column, MoneyColumn):
                # The path names a currency every row has.
                assert column.currency_path.endswith("currency_id"), column.currency_path
    assert not missing, f"amounts shown without their currency: {missing}"


def test_a_transactions_amount_shows_two_decimals_and_its_currency_and_exports_the_number(superuser):
    from apps.payments.models import Transaction
    from apps.payments.tests.factories import make_payment

    payment = make_payment(amount_w_vat="12.5")
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("admin:payments_transaction_changelist")).content.decode()
    assert f"12.50 {payment.currency_id}" in page and "12.5000" not in page
    columns = columns_for(admin.site._registry[Transaction], type("Request", (), {"user": superuser})())
    assert "amount_w_vat" in columns
    exported = b"".join(client.get(reverse("admin:payments_transaction_export", args=["csv"])).streaming_content)
    assert ",12.5000," in exported.decode()


def test_a_currency_without_minor_units_shows_none(superuser):
    from apps.core.money import MINOR_UNITS
    from apps.payments.models import Transaction

    MINOR_UNITS["JPY"] = 0
    column = MoneyColumn(Transaction._meta.get_field("amount_w_vat"), "currency_id")
    row = Transaction(amount_w_vat=Decimal("1200.0000"), currency_id="JPY")
    assert column(row) == "1200 JPY"
