"""A rider's invoices: listed in the app with a signed link to each PDF, which the trip receipt (mail and push)
carries too; a link is his invoice only, and a forged or old one opens nothing."""
from datetime import timedelta
from unittest import mock

from django.core import signing
from rest_framework.test import APIClient

from apps.core.testing.clients import client_for
from apps.payments.invoices import INVOICE_LINK_DAYS
from apps.payments.models import Invoice
from apps.riders.models import Device, RiderMessage
from apps.trips.tests.test_lifecycle import API as TRIPS, HERE, _refused, _start, _world

API = "/api/business-mobile/v1"


def _ride(rider, vehicle):
    client = client_for(rider)
    guid = _start(client, vehicle).json()["Data"]["Guid"]
    return client.post(f"{TRIPS}/{guid}/end", HERE, format="json").json()["Data"]


def test_the_receipt_links_the_invoice_and_comes_by_push_too(db, django_capture_on_commit_callbacks):
    network, rider, card, vehicle = _world()
    Device.objects.create(rider=rider, device_id="install-1", platform="ios", push_token="apns-1",
                          first_seen_at=card.created_at, last_seen_at=card.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        _ride(rider, vehicle)
    mail = RiderMessage.objects.get(rider=rider, channel="email", template="trip-receipt")
    push = RiderMessage.objects.get(rider=rider, channel="push")
    assert (mail.status, push.status) == ("sent", "sent")
    assert push.body == mail.body and "EUR" in push.body
    link = mail.variables["invoice_url"]
    invoice = Invoice.objects.get(transaction__trip__rider=rider)
    pdf = APIClient().get(link)  # no token: the link is signed
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF") and invoice.reference in pdf["Content-Disposition"]


def test_the_rider_lists_his_invoices_and_a_forged_or_old_link_opens_nothing(db):
    network, rider, card, vehicle = _world()
    _ride(rider, vehicle)
    stranger = _world()[1]
    listed = client_for(rider).get(f"{API}/riders/me/invoices").json()["Data"]
    invoice = Invoice.objects.get(transaction__rider=rider)
    assert [(i["Id"], i["Reference"], i["Kind"]) for i in listed["Items"]] == [(invoice.pk, invoice.reference,
                                                                                 "invoice")]
    assert listed["TotalCount"] == 1 and listed["Items"][0]["AmountWithVat"] == str(
        invoice.transaction.currency.quantize(invoice.amount_w_vat))
    assert client_for(stranger).get(f"{API}/riders/me/invoices").json()["Data"]["Items"] == []
    link = listed["Items"][0]["PdfUrl"]
    token = link.rsplit("/", 1)[1]
    forged = signing.dumps(invoice.pk + 1, salt="another salt", compress=True)
    _refused(APIClient().get(f"{API}/invoices/{forged}"), "err_InvoiceNotFound", 404)
    _refused(APIClient().get(f"{API}/invoices/{token[:-3]}abc"), "err_InvoiceNotFound", 404)
    with mock.patch("django.core.signing.time.time",
                    return_value=signing.time.time() + timedelta(days=INVOICE_LINK_DAYS + 1).total_seconds()):
        _refused(APIClient().get(f"{API}/invoices/{token}"), "err_InvoiceNotFound", 404)
    _refused(APIClient().get(f"{API}/invoices/{'x' * 201}"), "err_InvalidElement", 400)
    _refused(client_for(rider).get(f"{API}/riders/me/invoices", {"PageSize": 0}), "err_InvalidElement", 400)
