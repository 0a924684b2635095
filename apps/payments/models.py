"""Riders' saved payment methods, as the payment provider knows them (cards, SEPA mandates, wallets)."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel
from apps.riders.models import RiderOwned


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
