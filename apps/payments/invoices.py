"""Invoices and credit notes as PDF (fpdf2): the app label's billing identity, the buyer, the line, the VAT
breakdown, amounts formatted for the currency and the language (Babel's CLDR data), page numbers."""
from __future__ import annotations

from babel.numbers import format_currency
from django.conf import settings
from django.core import signing
from django.http import HttpResponse

from apps.core.pdf import FONT, Document

from .models import Invoice


def _money(amount, currency: str, locale: str) -> str:
    return format_currency(amount, currency, locale=locale)


def invoice_pdf(invoice: Invoice, *, locale: str = "en") -> bytes:
    payment = invoice.transaction
    billing = getattr(invoice.app_label, "billing", None)
    pdf = Document()
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    title = "Credit note" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "Invoice"
    pdf.cell(0, 10, f"{title} {invoice.reference}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    seller = [invoice.app_label.display_name]
    if billing is not None:
        seller = [billing.name or invoice.app_label.display_name, billing.street, f"{billing.zip_code} {billing.city}",
                  billing.country] + ([f"VAT {billing.vat_number}"] if billing.vat_number else [])
    for line in seller:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.cell(0, 5, f"Date: {invoice.issued_at:%Y-%m-%d}", new_x="LMARGIN", new_y="NEXT")
    rider = payment.rider
    pdf.cell(0, 5, f"Customer: {rider.get_full_name()} <{rider.email}>", new_x="LMARGIN", new_y="NEXT")
    if invoice.refund_id:
        pdf.cell(0, 5, f"Refund of the payment of {payment.date:%Y-%m-%d}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "B", 10)
    widths = (90, 30, 35, 35)
    for header, width in zip(("Item", "VAT rate", "Without VAT", "With VAT"), widths):
        pdf.cell(width, 7, header, border=1)
    pdf.ln()
    pdf.set_font(FONT, size=10)
    currency = payment.currency_id
    cells = (payment.product_title, f"{payment.vat_rate * 100:.2f} %", _money(invoice.amount, currency, locale),
             _money(invoice.amount_w_vat, currency, locale))
    for value, width in zip(cells, widths):
        pdf.cell(width, 7, value, border=1)
    pdf.ln(12)
    vat = invoice.amount_w_vat - invoice.amount
    for label, value in (("Total without VAT", invoice.amount), ("VAT", vat), ("Total", invoice.amount_w_vat)):
        pdf.cell(155, 6, label, align="R")
        pdf.cell(35, 6, _money(value, currency, locale), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdf_response(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.reference}.pdf"'
    return response


# A rider's link to one of his invoices, for a receipt mail or the app (which opens it without its bearer token):
# signed with SECRET_KEY, valid INVOICE_LINK_DAYS. Stripe's hosted invoice links work the same way.
INVOICE_LINK_SALT, INVOICE_LINK_DAYS = "fleetadmin.rider-invoice", 90


def invoice_link(invoice: Invoice) -> str:
    token = signing.dumps(invoice.pk, salt=INVOICE_LINK_SALT, compress=True)
    return f"{settings.SITE_URL}/api/business-mobile/v1/invoices/{token}"


def invoice_from_link(token: str) -> Invoice | None:
    try:
        pk = signing.loads(token, salt=INVOICE_LINK_SALT, max_age=INVOICE_LINK_DAYS * 86_400)
    except signing.BadSignature:
        return None
    return (Invoice.objects.select_related("transaction__rider", "transaction__currency",
                                           "transaction__network__app_label__billing").filter(pk=pk).first())
