"""Money is read-only in the admin: transactions, refunds, invoices and ledger entries are never edited by hand.
Refunding and crediting a wallet are actions that call the same services as the API."""
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.http import HttpResponse

from apps.core.admin import IndexedSearchMixin, ReadOnlyAdmin, ScopedModelAdmin

from . import services
from .invoices import invoice_pdf
from .models import (BankGuarantee, ExchangeRate, Invoice, PaymentMethod, Refund, Transaction, Wallet, WalletEntry)


class MoneyActionForm(ActionForm):
    amount = forms.CharField(required=False, label="Amount")
    reason = forms.CharField(required=False, max_length=2048, label="Reason")


def _amount_and_reason(request, modeladmin, *, shortest_reason: int) -> tuple[Decimal, str] | None:
    """The action bar's amount (above zero) and reason (long enough), or None after saying what is missing."""
    try:
        amount = Decimal(request.POST.get("amount") or "")
    except InvalidOperation:
        amount = None
    reason = (request.POST.get("reason") or "").strip()
    if amount is None or not amount.is_finite() or amount <= 0:
        modeladmin.message_user(request, "Type an amount above zero.", level=messages.ERROR)
        return None
    if len(reason) < shortest_reason:
        modeladmin.message_user(request, f"Type a reason ({shortest_reason} characters or more).", level=messages.ERROR)
        return None
    return amount, reason


@admin.register(Transaction)
class TransactionAdmin(IndexedSearchMixin, ReadOnlyAdmin):
    permission_key = "transactions"
    list_display = ["id", "date", "network", "rider", "kind", "status", "amount_w_vat", "currency",
                    "refunded_amount", "payment_provider"]
    list_filter = [("date", admin.DateFieldListFilter), "network", "kind", "status", "payment_provider",
                   "auto_payment"]
    list_select_related = ["network", "rider"]
    ordering = ["-id"]  # search: an id or a rider's e-mail (IndexedSearchMixin)
    action_form = MoneyActionForm
    actions = ["refund"]

    @admin.action(description="Refund the amount typed (with the reason) on the selected transactions")
    def refund(self, request, queryset):
        typed = _amount_and_reason(request, self, shortest_reason=10)
        if typed is None:
            return
        amount, reason = typed
        self.each_through_service(request, queryset, lambda payment: services.transaction_refund(
            payment=payment, amount=amount, reason=reason, actor=request.user), "refunded")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    permission_key = "transactions"
    list_display = ["id", "transaction", "amount", "reason", "refunded_by", "created_at"]
    list_select_related = ["transaction", "refunded_by"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    permission_key = "transactions"
    list_display = ["reference", "kind", "issued_at", "amount_w_vat", "transaction"]
    list_filter = ["kind", "app_label", "year"]
    search_fields = ["reference"]
    actions = ["download"]

    @admin.action(description="Download the selected invoice as PDF")
    def download(self, request, queryset):
        invoice = queryset.select_related("transaction__rider", "transaction__currency", "app_label").first()
        response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{invoice.reference}.pdf"'
        return response


class WalletEntryInline(admin.TabularInline):
    model = WalletEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "amount", "reason", "created_by", "transaction"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Wallet)
class WalletAdmin(ReadOnlyAdmin):
    """Wallets and their ledgers; crediting goes through the service, with the reason typed."""

    permission_key = "users.credits"
    list_display = ["rider", "currency", "closed_at", "created_at"]
    list_filter = ["currency", ("closed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["rider"]
    search_fields = ["rider__email"]
    inlines = [WalletEntryInline]
    action_form = MoneyActionForm
    actions = ["credit"]

    @admin.action(description="Credit the amount typed (with the reason) to the selected wallets")
    def credit(self, request, queryset):
        typed = _amount_and_reason(request, self, shortest_reason=5)
        if typed is None:
            return
        amount, reason = typed
        self.each_through_service(request, queryset.filter(closed_at__isnull=True), lambda wallet: services.wallet_credit(
            rider=wallet.rider, amount=amount, currency=wallet.currency, reason=reason, actor=request.user), "credited")


@admin.register(PaymentMethod)
class PaymentMethodAdmin(ReadOnlyAdmin):
    permission_key = "users.support"
    list_display = ["rider", "provider", "method_type", "brand", "last4", "fingerprint", "is_default", "detached_at"]
    list_filter = ["provider", "method_type"]
    search_fields = ["rider__email", "fingerprint"]
    list_select_related = ["rider"]


@admin.register(BankGuarantee)
class BankGuaranteeAdmin(ReadOnlyAdmin):
    permission_key = "users.credits"
    list_display = ["rider", "amount", "currency", "created_at", "released_at"]
    list_select_related = ["rider"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ScopedModelAdmin):
    """Exchange rates are data: loaded from the ECB's CSV (`./fleet manage load_exchange_rates FILE`) or typed here.
    They belong to no tenant: global `transactions` holders manage them."""

    permission_key = "transactions"
    list_display = ["date", "currency", "rate"]
    list_filter = ["currency"]
    date_hierarchy = "date"
