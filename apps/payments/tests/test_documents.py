"""Invoices as PDF and exchange rates loaded from the ECB's CSV format."""
import io
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from pypdf import PdfReader

from apps.applabels.models import AppLabelBilling
from apps.core.testing.responses import code
from apps.networks.tests.factories import make_network
from apps.payments.models import ExchangeRate
from apps.payments.rates import convert
from apps.riders.tests.factories import make_member

from .factories import make_payment

API = "/api/dashboard/v1"
ECB = """Date,USD,JPY,GBP,XXX,
2026-03-10,1.0950,161.20,0.8512,N/A,
2026-03-09,1.0901,160.10,N/A,1.0,
"""


def test_the_ecb_csv_loads_and_converts_at_the_latest_rate_of_the_day(db, tmp_path):
    path = tmp_path / "eurofxref-hist.csv"
    path.write_text(ECB)
    call_command("load_exchange_rates", str(path), stdout=io.StringIO())
    assert ExchangeRate.objects.count() == 5  # N/A and unknown currencies are skipped
    assert convert(Decimal("10"), "USD", date(2026, 3, 11), "EUR") == Decimal("10") / Decimal("1.0950")
    assert convert(Decimal("10"), "GBP", date(2026, 3, 10), "JPY") == Decimal("10") / Decimal("0.8512") * Decimal("161.20")
    path.write_text("Date,USD\n2026-03-10,1.2000\n")
    call_command("load_exchange_rates", str(path), stdout=io.StringIO())
    assert ExchangeRate.objects.get(currency_id="USD", date=date(2026, 3, 10)).rate == Decimal("1.2")


def test_an_invoice_pdf_carries_the_billing_identity_the_vat_and_the_currency(admin_client):
    network = make_network()
    AppLabelBilling.objects.create(app_label=network.app_label, name="Vélo Lyon SAS", vat_number="FR12345678901",
                                   street="1 place Bellecour", zip_code="69002", city="Lyon", country="France")
    rider = make_member(network, firstname="Zoé", lastname="Müller")
    payment = make_payment(network=network, rider=rider, amount_w_vat="12.00")
    response = admin_client.get(f"{API}/transactions/{payment.pk}/invoice")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    reference = payment.invoices.get().reference
    for expected in (reference, "Vélo Lyon SAS", "FR12345678901", "Zoé Müller", "€10.00", "€2.00", "€12.00",
                     "20.00 %", "Page 1/1"):
        assert expected in text, (expected, text)


def test_a_declined_payment_has_no_invoice_yet(admin_client):
    from apps.payments.services import payment_charge
    from apps.riders.tests.factories import make_payment_method

    rider = make_member()
    method = make_payment_method(rider, provider_reference="decline_card", is_default=True)
    payment = payment_charge(rider=rider, network=make_network(), kind="trip", amount_w_vat=Decimal("5"),
                             product_title="Trip", method=method)
    assert payment.status == "declined"
    assert code(admin_client.get(f"{API}/transactions/{payment.pk}/invoice")) == 3
