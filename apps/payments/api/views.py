from decimal import Decimal
from itertools import groupby
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework import serializers

from apps.applabels.models import AppLabel
from apps.core.api.params import CatalogSerializer
from apps.core.api.views import FileOperationView, OperationView
from apps.core.exceptions import NotFound, ValidationFailed
from apps.reference.models import Currency
from apps.riders.api.serializers import ProviderMethodsOut
from apps.riders.api.views import RiderView


from .. import income, rates, services
from ..invoices import pdf_response
from ..selectors import narrows_transactions, transaction_list, with_net
from ..models import (AppLabelPaymentMethod, BankGuarantee, Invoice, PaymentMethod, PaymentMethodType,
                      RiderPaymentSettings, Transaction, TransactionTally, Wallet)

MONEY = {"max_digits": 14, "decimal_places": 4, "coerce_to_string": False}
INVOICES_PAGE = 20


class TransactionOut(serializers.ModelSerializer):
    """The contract's core transaction fields, and the kind, status, VAT rate and the invoice's reference."""

    user_id = serializers.IntegerField(source="rider_id")
    email = serializers.EmailField(source="rider.email")
    amount = serializers.DecimalField(**MONEY)
    amount_w_vat = serializers.DecimalField(**MONEY)
    vat_rate = serializers.DecimalField(max_digits=5, decimal_places=4, coerce_to_string=False)
    currency = serializers.CharField(source="currency_id")
    refunded_amount = serializers.DecimalField(**MONEY)
    payment_provider_fee = serializers.DecimalField(**MONEY)
    net_amount = serializers.DecimalField(**MONEY, help_text="With VAT, less refunds and the provider's fee.")

    class Meta:
        model = Transaction
        fields = ["id", "user_id", "email", "network_id", "kind", "status", "date", "amount", "amount_w_vat",
                  "vat_rate", "currency", "product_title", "refunded_amount", "refund_date", "auto_payment",
                  "payment_provider", "payment_method_type", "payment_provider_fee", "net_amount", "trip_id"]


class RefundOut(serializers.Serializer):
    id = serializers.IntegerField()
    transaction_id = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    credit_note = serializers.CharField(source="credit_note.reference", help_text="The credit note's reference.")


class TransactionCollection(OperationView):
    operations = {"GET": "listTransactions"}
    output_serializers = {"GET": TransactionOut}
    sort_fields = {"date": "date", "amount_w_vat": "amount_w_vat", "amount": "amount",
                   "product_title": "product_title", "refund_amount": "refunded_amount", "auto_payment": "auto_payment",
                   "payment_provider_fee": "payment_provider_fee", "net_amount": "net_amount"}
    queryset = Transaction.objects.all()

    def get(self, request):
        q = self.query
        by_id = not q.get("sort_by")
        rows = transaction_list(queryset=self.get_network_queryset(id_ordered=by_id), filters=q)
        # Whole networks (the list's first view): the tallies the triggers keep, not a COUNT(*) over millions.
        total = None if narrows_transactions(filters=q) else TransactionTally.objects.filter(
            network_id__in=q["networks"]).aggregate(n=Coalesce(Sum("count"), 0))["n"]
        one_network = "network_id" if by_id and len(q["networks"]) == 1 else None
        return self.respond_page(rows, total=total, constant=one_network)


class TransactionDetail(OperationView):
    operations = {"GET": "getTransaction"}
    output_serializers = {"GET": TransactionOut}
    queryset = Transaction.objects.select_related("rider")

    def get(self, request, id):
        return self.respond_object(self.get_object(queryset=with_net(queryset=self.get_queryset())))


class RefundTransaction(OperationView):
    operations = {"POST": "refundTransaction"}
    output_serializers = {"POST": RefundOut}
    idempotent_methods = stepped_methods = ("POST",)
    queryset = Transaction.objects.all()

    def post(self, request, id):
        refund = services.transaction_refund(payment=self.get_object(), amount=self.body["amount"],
                                             reason=self.body["reason"], actor=request.user,
                                             idempotency=self.idempotency)
        return self.respond_object(refund)


class TransactionInvoice(FileOperationView):
    """The payment's invoice as PDF; code 3 (the seed) while it has none (a declined payment)."""

    operations = {"GET": "getTransactionInvoice"}
    file_types = {"GET": ["application/pdf"]}
    queryset = Transaction.objects.select_related("rider", "currency", "network__app_label__billing")

    def get(self, request, id):
        payment = self.get_object()
        invoice = payment.invoices.filter(kind=Invoice.Kind.INVOICE).first()
        if invoice is None:
            response = self.respond()
            response.envelope_code = 3
            return response
        return pdf_response(invoice)


class InvoiceOut(serializers.ModelSerializer):
    amount = serializers.DecimalField(**MONEY)
    amount_w_vat = serializers.DecimalField(**MONEY)
    currency = serializers.CharField(source="transaction.currency_id")
    product_title = serializers.CharField(source="transaction.product_title")

    class Meta:
        model = Invoice
        fields = ["reference", "kind", "issued_at", "amount", "amount_w_vat", "currency", "product_title",
                  "transaction_id"]


class InvoicesQuery(CatalogSerializer):
    operation_id = "listInvoices"
    location = "query"
    page = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The page, from 1 (the seed is silent).")


class InvoiceCollection(OperationView):
    """The caller's own invoices and credit notes, newest first, `INVOICES_PAGE` a page (`page` from 1)."""

    operations = {"GET": "listInvoices"}
    query_serializers = {"GET": InvoicesQuery}
    output_serializers = {"GET": InvoiceOut}
    queryset = Invoice.objects.all()

    def get(self, request):
        page = self.query["page"]
        mine = Invoice.objects.filter(transaction__rider=request.user).select_related("transaction")
        start = (page - 1) * INVOICES_PAGE
        return self.respond_list(mine.order_by("-issued_at", "-id")[start:start + INVOICES_PAGE])


class InvoiceDownload(FileOperationView):
    operations = {"GET": "downloadInvoice"}
    file_types = {"GET": ["application/pdf"]}
    queryset = Invoice.objects.all()

    def get(self, request, ref):
        invoice = (Invoice.objects.filter(reference=ref, transaction__rider=request.user)
                   .select_related("transaction__rider", "transaction__currency", "app_label__billing").first())
        if invoice is None:
            raise NotFound(f"You have no invoice {ref}.")
        return pdf_response(invoice)


# --- income statistics -------------------------------------------------------------------------------------------
class IncomeView(OperationView):
    """Income of the networks the caller sees, in the requested time zone and currency (apps.payments.income)."""

    queryset = Transaction.objects.all()

    def grouped(self) -> income.Grouped:
        q = self.query
        if q["end_date"] < q["start_date"]:
            raise ValidationFailed.on("end_date", "end_date must not be before start_date.")
        self.currency = Currency.objects.get(code=q["currency"])
        return income.income(self.get_queryset(), self.scope, start=q["start_date"], end=q["end_date"],
                             tz=ZoneInfo(q["timezone"]), currency=self.currency, provider=q.get("provider"))


class IncomeFiguresOut(serializers.Serializer):
    transaction_count = serializers.IntegerField()
    amount_w_vat = serializers.DecimalField(**MONEY)
    amount = serializers.DecimalField(**MONEY)
    vat = serializers.DecimalField(**MONEY)
    refunded_amount = serializers.DecimalField(**MONEY)
    payment_provider_fee = serializers.DecimalField(**MONEY)
    net_amount = serializers.DecimalField(**MONEY)


class ExchangeRateOut(serializers.Serializer):
    date = serializers.DateField()
    from_currency = serializers.CharField()
    to_currency = serializers.CharField()
    rate = serializers.DecimalField(max_digits=24, decimal_places=10, coerce_to_string=False)


class IncomeSummaryOut(IncomeFiguresOut):
    currency = serializers.CharField()
    rates = ExchangeRateOut(many=True, help_text="The exchange rates applied, per day and source currency.")


class IncomeSourceOut(IncomeFiguresOut):
    source = serializers.CharField(help_text="trip, pass, subscription, wallet_top_up or penalty.")


class IncomeSourcesOut(serializers.Serializer):
    currency = serializers.CharField()
    sources = IncomeSourceOut(many=True)
    rates = ExchangeRateOut(many=True)


class IncomeDowOut(IncomeFiguresOut):
    day_of_week = serializers.IntegerField(help_text="1 Monday ... 7 Sunday (ISO).")


class IncomeDayOut(IncomeFiguresOut):
    date = serializers.DateField()


class IncomeSummary(IncomeView):
    operations = {"GET": "getIncomeSummary"}
    output_serializers = {"GET": IncomeSummaryOut()}

    def get(self, request):
        grouped = self.grouped()
        return self.respond({**grouped.total.rounded(self.currency), "currency": self.currency.code,
                             "rates": ExchangeRateOut(income.rates_list(grouped, self.currency.code), many=True).data})


class IncomeSources(IncomeView):
    operations = {"GET": "getIncomeSources"}
    output_serializers = {"GET": IncomeSourcesOut()}

    def get(self, request):
        grouped = self.grouped()
        sources = [{"source": kind, **totals.rounded(self.currency)} for kind, totals in sorted(grouped.by_kind.items())]
        return self.respond(IncomeSourcesOut({"currency": self.currency.code, "sources": sources,
                                        "rates": income.rates_list(grouped, self.currency.code)}).data)


class IncomeByDow(IncomeView):
    operations = {"GET": "getIncomeByDow"}
    output_serializers = {"GET": IncomeDowOut(many=True)}

    def get(self, request):
        by_dow = income.by_day_of_week(self.grouped())
        return self.respond(IncomeDowOut([{"day_of_week": n, **t.rounded(self.currency)} for n, t in by_dow.items()],
                                         many=True).data)


class IncomeByDay(IncomeView):
    operations = {"GET": "getIncomeByDay"}
    output_serializers = {"GET": IncomeDayOut(many=True)}

    def get(self, request):
        grouped = self.grouped()
        rows = [{"date": day, **totals.rounded(self.currency)} for day, totals in sorted(grouped.by_day.items())]
        return self.respond(IncomeDayOut(rows, many=True).data)


# --- payment methods ---------------------------------------------------------------------------------------------
class FingerprintMethodOut(serializers.ModelSerializer):
    user_id = serializers.IntegerField(source="rider_id")
    email = serializers.EmailField(source="rider.email")

    class Meta:
        model = PaymentMethod
        fields = ["id", "user_id", "email", "provider", "method_type", "brand", "last4", "fingerprint", "is_default",
                  "created_at", "detached_at"]


class MethodsByFingerprint(OperationView):
    """Every saved method with this fingerprint (the same card on several accounts), among the riders the caller
    sees; detached ones included, since sharing is what matters."""

    operations = {"GET": "listPaymentMethodsByFingerprint"}
    output_serializers = {"GET": FingerprintMethodOut}
    queryset = PaymentMethod.objects.select_related("rider")

    def get(self, request):
        methods = self.get_queryset().filter(fingerprint=self.query["fingerprint"])
        return self.respond_list(methods.order_by("rider_id", "id")[:200])


class LabelMethodOut(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    provider = serializers.CharField()
    method_type = serializers.CharField()
    name = serializers.CharField()
    enabled = serializers.BooleanField()


class AppLabelMethodView(OperationView):
    queryset = AppLabel.objects.all()

    def app_label(self):
        return self.get_object(pk=self.kwargs["app_label_id"])


class AppLabelMethodList(AppLabelMethodView):
    operations = {"GET": "listAppLabelPaymentMethods"}
    output_serializers = {"GET": LabelMethodOut}

    def get(self, request, app_label_id):
        label = self.app_label()
        enabled = set(AppLabelPaymentMethod.objects.filter(app_label=label).values_list("method_id", flat=True))
        methods = PaymentMethodType.objects.order_by("pk")
        return self.respond_list([{**{f: getattr(m, f) for f in ("id", "key", "provider", "method_type", "name")},
                                   "enabled": m.pk in enabled} for m in methods])


class AppLabelMethodDetail(AppLabelMethodView):
    operations = {"POST": "enableAppLabelPaymentMethod", "DELETE": "disableAppLabelPaymentMethod"}

    def method(self):
        return self.get_object(pk=self.kwargs["method_id"], queryset=PaymentMethodType.objects.all())

    def post(self, request, app_label_id, method_id):
        AppLabelPaymentMethod.objects.get_or_create(app_label=self.app_label(), method=self.method())
        return self.respond()

    def delete(self, request, app_label_id, method_id):
        deleted, _ = AppLabelPaymentMethod.objects.filter(app_label=self.app_label(), method=self.method()).delete()
        if not deleted:
            raise NotFound("This payment method is not enabled on the app label.")
        return self.respond()


# --- a rider's wallets and guarantees -----------------------------------------------------------------------------
class UserWalletOut(serializers.Serializer):
    id = serializers.IntegerField()
    currency = serializers.CharField(source="currency_id")
    balance = serializers.DecimalField(**MONEY)
    created_at = serializers.DateTimeField()


class UserWalletsOut(serializers.Serializer):
    wallets = UserWalletOut(many=True)


class CreateWalletBody(CatalogSerializer):
    operation_id = "createUserWallet"


class UserWallets(RiderView):
    operations = {"GET": "listUserWallets", "POST": "createUserWallet", "DELETE": "deleteUserWallet"}
    output_serializers = {"GET": UserWalletsOut(), "POST": UserWalletOut}
    idempotent_methods = ("POST", "DELETE")

    def wallets(self):
        return (Wallet.objects.filter(rider=self.rider, closed_at__isnull=True)
                .annotate(balance=Coalesce(Sum("entries__amount"), Decimal(0))).order_by("currency_id", "id"))

    def get(self, request, id):
        wallets = self.wallets()
        wallets = wallets.filter(balance=0) if self.query.get("get_empty") else wallets.exclude(balance=0)
        return self.respond(UserWalletsOut({"wallets": list(wallets)}).data)

    def post(self, request, id):
        currency = Currency.objects.get(code=self.body["currency"])
        entry = services.wallet_credit(rider=self.rider, amount=self.body["amount"], currency=currency,
                                       reason=self.body["reason"], actor=request.user)
        return self.respond_object(self.wallets().get(pk=entry.wallet_id))

    def delete(self, request, id):
        wallet = self.get_object(pk=self.query["wallet"], queryset=Wallet.objects.filter(rider=self.rider,
                                                                                          closed_at__isnull=True))
        services.wallet_close(wallet=wallet, reason=self.query["reason"], actor=request.user)
        return self.respond()


class UserWalletSum(RiderView):
    """The rider's open wallets, each converted at today's rate (rates.py) into `currency`."""

    operations = {"GET": "getUserWalletSum"}
    output_serializers = {"GET": {"type": "number", "description": "The sum, in the requested currency."}}

    def get(self, request, id):
        target = Currency.objects.get(code=self.query["currency"])
        balances = (Wallet.objects.filter(rider=self.rider, closed_at__isnull=True).values("currency_id")
                    .annotate(total=Coalesce(Sum("entries__amount"), Decimal(0))))
        today = timezone.now().date()
        total = sum((row["total"] * rates.convert(Decimal(1), row["currency_id"], today, target.code)
                     for row in balances if row["total"]), Decimal(0))
        return self.respond(target.quantize(total))


class GuaranteeOut(serializers.ModelSerializer):
    amount = serializers.DecimalField(**MONEY)
    currency = serializers.CharField(source="currency_id")
    payment_method = serializers.CharField(source="payment_method.__str__")

    class Meta:
        model = BankGuarantee
        fields = ["id", "amount", "currency", "payment_method", "trip_id", "created_at"]


class UserBankGuarantees(RiderView):
    """The guarantees held now (not released), and whether pre-authorizations are disabled for the rider."""

    operations = {"GET": "listUserBankGuarantees"}
    output_serializers = {"GET": GuaranteeOut}

    def get(self, request, id):
        held = BankGuarantee.objects.filter(rider=self.rider, released_at__isnull=True).select_related("payment_method")
        return self.respond_list(held)


class UserPreAuth(RiderView):
    operations = {"PUT": "toggleUserPreAuth"}

    def put(self, request, id):
        RiderPaymentSettings.objects.update_or_create(rider=self.rider,
                                                      defaults={"pre_auth_disabled": self.body["disabled"]})
        return self.respond()


class UserPaymentMethodList(RiderView):
    operations = {"GET": "listUserPaymentMethods"}
    output_serializers = {"GET": ProviderMethodsOut}

    def get(self, request, id):
        methods = PaymentMethod.objects.filter(rider=self.rider, detached_at__isnull=True).order_by(
            "provider", "-is_default", "-created_at", "-id")
        grouped = [{"provider": provider, "methods": list(rows)}
                   for provider, rows in groupby(methods, key=lambda m: m.provider)]
        return self.respond_list(grouped)


class UserPaymentMethodDetail(RiderView):
    operations = {"DELETE": "deleteUserPaymentMethod"}
    stepped_methods = ("DELETE",)  # the provider detaches it before the row is marked

    def delete(self, request, id, user_method_id):
        method = self.get_object(pk=user_method_id, queryset=PaymentMethod.objects.filter(
            rider=self.rider, detached_at__isnull=True))
        services.payment_method_detach(method=method)
        return self.respond()
