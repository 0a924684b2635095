"""Money is read-only in the admin: transactions, refunds, invoices, ledger entries, holds and payment attempts are
never added, edited or deleted by hand (RecordAdmin; the database refuses it too). Refunding, crediting a wallet and
settling a payment attempt are actions that call the same services as the API, and their typed amounts and reasons
are validated by the API operation's own declaration (`action_input`)."""
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.http import HttpResponse

from apps.core.admin import IndexedSearchMixin, RecordAdmin, ScopedModelAdmin

from . import attempts, services
from .invoices import invoice_pdf
from .models import (BankGuarantee, ExchangeRate, Invoice, PaymentAttempt, PaymentMethod, Refund, Transaction, Wallet,
                     WalletEntry)


class MoneyActionForm(ActionForm):
    amount = forms.CharField(required=False, label="Amount")
    reason = forms.CharField(required=False, max_length=2048, label="Reason")


@admin.register(Transaction)
class TransactionAdmin(IndexedSearchMixin, RecordAdmin):
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
        typed = self.action_input(request, "refundTransaction", "amount", "reason")
        if typed is not None:
            self.each_through_service(request, queryset, lambda payment: services.transaction_refund(
                payment=payment, amount=typed["amount"], reason=typed["reason"], actor=request.user), "refunded")


@admin.register(Refund)
class RefundAdmin(RecordAdmin):
    permission_key = "transactions"
    list_display = ["id", "transaction", "amount", "reason", "refunded_by", "created_at"]
    list_select_related = ["transaction", "refunded_by"]
    currency_path = "transaction.currency_id"


@admin.register(Invoice)
class InvoiceAdmin(RecordAdmin):
    permission_key = "transactions"
    list_display = ["reference", "kind", "issued_at", "amount_w_vat", "transaction"]
    list_filter = ["kind", "app_label", "year"]
    currency_path = "transaction.currency_id"
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
class WalletAdmin(RecordAdmin):
    """Wallets and their ledgers; crediting and closing go through the services, with the reason typed."""

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
        typed = self.action_input(request, "createUserWallet", "amount", "reason")
        if typed is not None:
            self.each_through_service(request, queryset.filter(closed_at__isnull=True), lambda wallet: (
                services.wallet_credit(rider=wallet.rider, amount=typed["amount"], currency=wallet.currency,
                                       reason=typed["reason"], actor=request.user)), "credited")


@admin.register(PaymentMethod)
class PaymentMethodAdmin(RecordAdmin):
    permission_key = "users.support"
    list_display = ["rider", "provider", "method_type", "brand", "last4", "fingerprint", "is_default", "detached_at"]
    list_filter = ["provider", "method_type"]
    search_fields = ["rider__email", "fingerprint"]
    list_select_related = ["rider"]


@admin.register(BankGuarantee)
class BankGuaranteeAdmin(RecordAdmin):
    permission_key = "users.credits"
    list_display = ["rider", "amount", "currency", "created_at", "released_at"]
    list_select_related = ["rider"]


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(IndexedSearchMixin, RecordAdmin):
    """Every call made to the payment provider and what became of it; a pending one (its answer was lost) is settled
    by the reconciliation task, or at once with the action."""

    permission_key = "transactions"
    list_display = ["id", "created_at", "operation", "status", "network", "rider", "amount", "currency", "tries",
                    "settled_at"]
    list_filter = ["status", "operation", "network", ("created_at", admin.DateFieldListFilter)]
    ordering = ["-id"]
    actions = ["reconcile"]

    @admin.action(description="Ask the provider now what became of the selected pending attempts")
    def reconcile(self, request, queryset):
        counts = attempts.reconcile_pending(only=list(queryset.filter(
            status=PaymentAttempt.Status.PENDING).values_list("pk", flat=True)))
        self.message_user(request, ", ".join(f"{n} {status}" for status, n in counts.items()))


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ScopedModelAdmin):
    """Exchange rates are data: loaded from the ECB's CSV (`./fleet manage load_exchange_rates FILE`) or typed here.
    They belong to no tenant: global `transactions` holders manage them."""

    permission_key = "transactions"
    list_display = ["date", "currency", "rate"]
    list_filter = ["currency"]
    date_hierarchy = "date"
