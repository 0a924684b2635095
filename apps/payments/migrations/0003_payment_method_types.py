from django.db import migrations

TYPES = [
    ("stripe-card", "stripe", "card", "Card (Stripe)"),
    ("stripe-sepa", "stripe", "sepa_debit", "SEPA Direct Debit (Stripe)"),
    ("stripe-apple-pay", "stripe", "apple_pay", "Apple Pay (Stripe)"),
    ("stripe-google-pay", "stripe", "google_pay", "Google Pay (Stripe)"),
    ("braintree-paypal", "braintree", "paypal", "PayPal (Braintree)"),
    ("braintree-card", "braintree", "card", "Card (Braintree)"),
    ("uzcard-card", "uzcard", "card", "Uzcard"),
    ("hdcpay-card", "hdcpay", "card", "Card (HDCPay)"),
]


def add_types(apps, schema_editor):
    PaymentMethodType = apps.get_model("payments", "PaymentMethodType")
    for key, provider, method_type, name in TYPES:
        PaymentMethodType.objects.update_or_create(key=key, defaults={"provider": provider,
                                                                      "method_type": method_type, "name": name})


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_paymentmethodtype_bankguarantee_riderpaymentsettings_and_more")]

    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
