"""Money in the admin: read-only pages, refund and credit actions through the services."""
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from apps.payments.models import Refund, Wallet
from apps.payments.services import wallet_balance, wallet_credit
from apps.reference.models import Currency
from apps.riders.tests.factories import make_member

from .factories import make_payment


def _admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_transactions_are_read_only_and_refunded_by_the_service(superuser):
    payment = make_payment(amount_w_vat="10.00")
    client = _admin(superuser)
    page = client.get(reverse("admin:payments_transaction_change", args=[payment.pk])).content.decode()
    assert 'name="amount_w_vat"' not in page  # no field to type money into
    changelist = reverse("admin:payments_transaction_changelist")
    client.post(changelist, {"action": "refund", "amount": "4", "reason": "short", "_selected_action": [payment.pk]})
    assert not Refund.objects.exists()  # a reason of 10 characters at least, as the API says
    client.post(changelist, {"action": "refund", "amount": "4", "reason": "Broken brake reported",
                             "_selected_action": [payment.pk]})
    client.post(changelist, {"action": "refund", "amount": "7", "reason": "Broken brake reported",
                             "_selected_action": [payment.pk]})  # more than what is left: refused by the service
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("4.00") and payment.invoices.filter(kind="credit_note").count() == 1


def test_a_wallet_is_credited_by_the_service_with_its_reason(superuser):
    rider = make_member()
    wallet_credit(rider=rider, amount=Decimal("1"), currency=Currency.objects.get(code="EUR"), reason="Start",
                  actor=None)
    wallet = Wallet.objects.get(rider=rider)
    _admin(superuser).post(reverse("admin:payments_wallet_changelist"), {
        "action": "credit", "amount": "2.50", "reason": "Sorry for the wait", "_selected_action": [wallet.pk]})
    assert wallet_balance(wallet=wallet) == Decimal("3.50")
    assert wallet.entries.order_by("-id").first().created_by == superuser
