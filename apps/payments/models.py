"""Riders' saved payment methods, as the payment provider knows them (cards, SEPA mandates, wallets)."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.money import money_text
from apps.core.models import RestrictedQuerySet, ScopedModel, TimeStampedModel, non_negative
from apps.riders.models import RiderOwned, rider_scope_filter


class PaymentMethod(RiderOwned, TimeStampedModel):
    """A payment method a rider saved. Deleting it detaches it at the provider and keeps the row (payments made
    with it still name it): `detached_at` is set and it is no longer offered."""

    class Type(models.TextChoices):
        CARD = "card"
        SEPA_DEBIT = "sepa_debit"
        PAYPAL = "paypal"
        APPLE_PAY = "apple_pay"
        GOOGLE_PAY = "google_pay"

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payment_methods")
    provider = models.CharField(max_length=30, help_text="The payment provider holding it (`PAYMENT_PROVIDER`).")
    provider_reference = models.CharField(max_length=255, unique=True)
    method_type = models.CharField(max_length=12, choices=Type.choices)
    brand = models.CharField(max_length=30, blank=True)
    last4 = models.CharField(max_length=4, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True,
                                   help_text="The same card on several accounts has the same fingerprint.")
    expiry_month = models.PositiveSmallIntegerField(null=True, blank=True)
    expiry_year = models.PositiveSmallIntegerField(null=True, blank=True)
    is_default = models.BooleanField(default=False)
    detached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rider"], condition=Q(is_default=True, detached_at__isnull=True),
                                               name="one_default_payment_method")]

    def __str__(self):
        return f"{self.brand or self.method_type} •••• {self.last4}" if self.last4 else self.method_type


MONEY = {"max_digits": 12, "decimal_places": 4}


class PaymentMethodType(models.Model):
    """A kind of payment method the installation offers (a card through Stripe, SEPA...); app labels enable some."""

    key = models.CharField(max_length=30, unique=True)
    provider = models.CharField(max_length=20)
    method_type = models.CharField(max_length=20)
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class AppLabelPaymentMethod(TimeStampedModel):
    """A payment method type enabled on an app label."""

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="payment_methods")
    method = models.ForeignKey(PaymentMethodType, on_delete=models.CASCADE, related_name="+")

    scope_app_label_path = "app_label"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["app_label", "method"], name="one_enabled_method_per_label")]


class Transaction(TimeStampedModel):
    """A payment a rider made (or the organization, for its members): amounts with and without VAT in the network's
    currency, what the provider took, and what was refunded since. Never edited by hand; refunds are rows of their
    own and `refunded_amount` is their sum, kept in the refund's transaction."""

    class Kind(models.TextChoices):
        TRIP = "trip"
        PASS = "pass"
        SUBSCRIPTION = "subscription"
        WALLET_TOP_UP = "wallet_top_up"
        PENALTY = "penalty"

    class Status(models.TextChoices):
        PAID = "paid"
        DECLINED = "declined"

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="transactions")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PAID)
    date = models.DateTimeField(db_index=True)
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(help_text="Without VAT.", **MONEY)
    amount_w_vat = models.DecimalField(help_text="With VAT: what the rider paid.", **MONEY)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=4)
    product_title = models.CharField(max_length=100)
    payment_provider = models.CharField(max_length=20)
    payment_method_type = models.CharField(max_length=20)
    payment_provider_fee = models.DecimalField(default=0, **MONEY)
    provider_reference = models.CharField(max_length=100, blank=True)
    auto_payment = models.BooleanField(default=False, help_text="Charged automatically (a trip's end, a renewal).")
    refunded_amount = models.DecimalField(default=0, **MONEY)
    refund_date = models.DateTimeField(null=True, blank=True, help_text="The last refund's date.")
    trip = models.OneToOneField("trips.Trip", null=True, blank=True, on_delete=models.PROTECT, related_name="payment")

    scope_network_path = "network"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["network", "-id"]), models.Index(fields=["network", "date"]),
                   models.Index(fields=["rider", "date"]),
                   # The amount sorts of listTransactions (keyset on the id).
                   models.Index(fields=["network", "amount_w_vat", "id"], name="transaction_amount_w_vat_idx"),
                   models.Index(fields=["network", "amount", "id"], name="transaction_amount_idx")]
        constraints = [
            *non_negative("transaction", "amount", "amount_w_vat", "payment_provider_fee", "refunded_amount"),
            models.CheckConstraint(condition=Q(refunded_amount__lte=models.F("amount_w_vat")),
                                   name="transaction_refund_within_amount"),
            models.CheckConstraint(condition=Q(vat_rate__gte=0, vat_rate__lte=1), name="transaction_vat_rate_0_1"),
            models.CheckConstraint(condition=Q(amount__lte=models.F("amount_w_vat")),
                                   name="transaction_amount_within_w_vat"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.product_title} {money_text(self.amount_w_vat, self.currency_id)}"

    @property
    def refundable(self):
        return self.amount_w_vat - self.refunded_amount


class Refund(TimeStampedModel):
    """Money given back on a payment, recorded once the provider refunded it (PaymentAttempt `refund`)."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=2048)
    refunded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    provider_reference = models.CharField(max_length=100, blank=True)

    scope_network_path = "transaction__network"

    class Meta:
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_gt_0")]


class Wallet(RiderOwned, TimeStampedModel):
    """A rider's credits in one currency. Its balance is always the sum of its ledger entries: no balance column is
    ever edited. Deleting a wallet writes the entry that empties it and closes it."""

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallets")
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["currency_id", "id"]
        constraints = [models.UniqueConstraint(fields=["rider", "currency"], condition=Q(closed_at__isnull=True),
                                               name="one_open_wallet_per_currency")]

    def __str__(self):
        return f"{self.rider} {self.currency_id} wallet"


class WalletEntry(models.Model):
    """One movement of a wallet (append-only): a credit by staff, an offer bought, a trip paid, a pass refunded..."""

    class Kind(models.TextChoices):
        CREDIT = "credit"
        OFFER = "offer"
        CONSUMPTION = "consumption"
        REFUND = "refund"
        CLOSING = "closing"

    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField(help_text="Positive: credit; negative: debit.", **MONEY)
    reason = models.CharField(max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    transaction = models.ForeignKey(Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_filter = classmethod(lambda cls, scope: rider_scope_filter(scope, "wallet__rider"))

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["wallet", "id"])]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="wallet_entry_amount_not_0")]


class InvoiceSequence(models.Model):
    """The last invoice number used per app label and year: locked by the transaction that issues an invoice, so a
    rollback gives the number back and numbers have no gap."""

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["app_label", "year"], name="one_sequence_per_label_year")]


class Invoice(TimeStampedModel):
    class Kind(models.TextChoices):
        INVOICE = "invoice"
        CREDIT_NOTE = "credit_note"

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=11, choices=Kind.choices)
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="invoices")
    refund = models.OneToOneField(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_note")
    amount = models.DecimalField(help_text="Without VAT; negative on a credit note.", **MONEY)
    amount_w_vat = models.DecimalField(**MONEY)
    issued_at = models.DateTimeField()

    scope_network_path = "transaction__network"

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["app_label", "year", "number"], name="invoice_number_unique")]

    def __str__(self):
        return self.reference


class ExchangeRate(ScopedModel):
    """How many units of `currency` one euro bought on `date` (the ECB's daily reference rates)."""

    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    rate = models.DecimalField(max_digits=18, decimal_places=8)

    class Meta:
        ordering = ["-date", "currency"]
        constraints = [models.UniqueConstraint(fields=["currency", "date"], name="one_rate_per_currency_day"),
                       models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive")]

    def __str__(self):
        return f"1 EUR = {self.rate} {self.currency_id} on {self.date}"


class BankGuarantee(RiderOwned, TimeStampedModel):
    """An authorization held on a rider's payment method as a guarantee (a trip's deposit), until released."""

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bank_guarantees")
    payment_method = models.ForeignKey(PaymentMethod, on_delete=models.PROTECT, related_name="+")
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    provider_reference = models.CharField(max_length=100)
    trip = models.ForeignKey("trips.Trip", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="bank_guarantee_amount_gt_0")]


class RiderPaymentSettings(RiderOwned, TimeStampedModel):
    rider = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payment_settings")
    pre_auth_disabled = models.BooleanField(default=False, help_text="No pre-authorization is taken before trips.")


class TransactionTally(models.Model):
    """How many transactions each network has, kept by statement-level triggers on the transactions table (migration
    payments.0004) in the inserting transaction: listTransactions' unfiltered `total` without a COUNT(*)."""

    network = models.OneToOneField("networks.Network", on_delete=models.CASCADE, primary_key=True, related_name="+")
    count = models.BigIntegerField(default=0)


class IncomeHour(models.Model):
    """The paid transactions of one network in one UTC hour, per currency and kind: what the income
    statistics read for settled hours (apps.payments.rollups). Hours are whole in every time zone whose offset is a
    whole number of hours, so any such time zone's days are sums of them."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=14)
    transaction_count = models.PositiveIntegerField()
    amount_w_vat = models.DecimalField(max_digits=16, decimal_places=4)
    amount = models.DecimalField(max_digits=16, decimal_places=4)
    refunded_amount = models.DecimalField(max_digits=16, decimal_places=4)
    payment_provider_fee = models.DecimalField(max_digits=16, decimal_places=4)

    objects = RestrictedQuerySet.as_manager()
    scope_network_path = "network"

    class Meta:
        indexes = [models.Index(fields=["network", "hour"])]


class IncomeStoredUntil(models.Model):
    """Every hour of the network before `until` is stored in IncomeHour (hours without payments have no row)."""

    network = models.OneToOneField("networks.Network", on_delete=models.CASCADE, primary_key=True,
                                   related_name="income_stored_until")
    until = models.DateTimeField()


class PaymentAttempt(TimeStampedModel):
    """One call to the payment provider, committed as `pending` before the call and settled after it in a second
    transaction (apps.payments.attempts; docs/commerce.md, "Payment attempts"). Its `key` is the provider's
    idempotency key: the same on every retry of the call, by the request, by a retried request with the same
    Idempotency-Key, or by reconciliation. Never deleted; its amounts never change."""

    class Operation(models.TextChoices):
        CHARGE = "charge", "charge (authorize and capture)"
        AUTHORIZE = "authorize", "authorize (hold a guarantee)"
        CAPTURE = "capture", "capture (of a hold)"
        RELEASE = "release", "release (of a hold)"
        REFUND = "refund"

    class Status(models.TextChoices):
        PENDING = "pending", "pending (the provider's answer is not recorded yet)"
        SUCCEEDED = "succeeded"
        DECLINED = "declined"
        VOIDED = "voided", "voided (nothing happened at the provider)"

    key = models.CharField(max_length=200, unique=True)
    operation = models.CharField(max_length=9, choices=Operation.choices)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PENDING)
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="+")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payment_attempts")
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(help_text="With VAT: what is asked of the provider.", **MONEY)
    method = models.ForeignKey(PaymentMethod, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=14, choices=Transaction.Kind.choices, blank=True,
                            help_text="What the payment is for (charges and captures).")
    product_title = models.CharField(max_length=100, blank=True)
    auto_payment = models.BooleanField(default=False)
    occurred_at = models.DateTimeField(help_text="The date the payment is recorded at.")
    purpose = models.CharField(max_length=40, blank=True,
                               help_text="What settles with it (e.g. `offer_purchase`: the credits bought).")
    purpose_id = models.BigIntegerField(null=True, blank=True)
    trip = models.ForeignKey("trips.Trip", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="The authorization a capture or release acts on.")
    guarantee = models.ForeignKey(BankGuarantee, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    transaction = models.ForeignKey(Transaction, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="attempts",
                                    help_text="Charges and captures: the payment recorded; refunds: the one refunded.")
    refund = models.OneToOneField(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="attempt")
    reason = models.CharField(max_length=2048, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    provider = models.CharField(max_length=30)
    provider_reference = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=500, blank=True, help_text="The provider's last word (a decline's reason).")
    tries = models.PositiveSmallIntegerField(default=0, help_text="Calls made to the provider under the key.")
    leased_until = models.DateTimeField(null=True, blank=True,
                                        help_text="A request or reconciliation is calling the provider until then.")
    settled_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "network"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_at"], condition=Q(status="pending"), name="attempt_pending_idx"),
                   models.Index(fields=["transaction", "operation"], name="attempt_transaction_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="attempt_amount_gte_0"),
            models.CheckConstraint(condition=Q(status="pending", settled_at__isnull=True)
                                   | (~Q(status="pending") & Q(settled_at__isnull=False)),
                                   name="attempt_settled_when_not_pending"),
        ]

    def __str__(self):
        return f"{self.operation} {money_text(self.amount, self.currency_id)} ({self.status})"


class SandboxRecord(models.Model):
    """The local sandbox provider's own ledger (apps.payments.providers.SandboxLedger): what it did per idempotency
    key. Written outside every transaction of the code; fleetadmin's code reads it only through the provider's
    `lookup`."""

    key = models.CharField(max_length=200, primary_key=True)
    step = models.CharField(max_length=10)
    status = models.CharField(max_length=10)
    reference = models.CharField(max_length=100, blank=True)
    fee = models.DecimalField(**MONEY)
    amount = models.DecimalField(**MONEY)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
