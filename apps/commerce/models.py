"""What riders can buy: offers (wallet credits), passes, subscriptions; and the passes they bought."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.models import TimeStampedModel, non_negative
from apps.payments.models import MONEY


class Offer(TimeStampedModel):
    """Pay `price`, get `given_amount` in the wallet (network currency)."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(max_length=50)
    available = models.BooleanField(default=True)
    price = models.DecimalField(**MONEY)
    given_amount = models.DecimalField(**MONEY)

    scope_network_path = "network"

    class Meta:
        ordering = ["network", "price", "id"]
        constraints = non_negative("offer", "price", "given_amount")

    def __str__(self):
        return self.title


class OfferPurchase(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="purchases")
    transaction = models.OneToOneField("payments.Transaction", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class Pass(TimeStampedModel):
    """Riding time (`duration` seconds, 0: unlimited within the validity) for a `validity` period once activated."""

    class Validity(models.TextChoices):
        DAY = "day"
        WEEK = "week"
        MONTH = "month"
        UNLIMITED = "unlimited"

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="passes")
    title = models.CharField(max_length=50)
    available = models.BooleanField(default=True)
    price = models.DecimalField(**MONEY)
    duration = models.PositiveIntegerField(help_text="Seconds of riding included.")
    validity = models.CharField(max_length=9, choices=Validity.choices, null=True, blank=True)

    scope_network_path = "network"

    class Meta:
        ordering = ["network", "price", "id"]
        verbose_name_plural = "passes"
        constraints = non_negative("pass", "price")

    def __str__(self):
        return self.title


class UserPass(TimeStampedModel):
    """A pass a rider bought: activated on its first trip, valid for the pass's validity, with riding time left.
    It belongs to the pass's network, however it is reached: staff of another network the rider also rides in
    neither see nor change it."""

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="passes")
    pass_bought = models.ForeignKey(Pass, on_delete=models.PROTECT, related_name="bought")
    transaction = models.ForeignKey("payments.Transaction", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    price_paid = models.DecimalField(**MONEY)
    activated_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    remaining_seconds = models.PositiveIntegerField()
    disabled_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    refunded = models.BooleanField(default=False)

    scope_network_path = "pass_bought__network"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = non_negative("user_pass", "price_paid")

    def __str__(self):
        return f"{self.pass_bought} of {self.rider}"


class Subscription(TimeStampedModel):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="subscriptions")
    name = models.CharField(max_length=50)
    trip_duration = models.PositiveIntegerField(validators=[MinValueValidator(1)],
                                                help_text="Seconds covered on each trip.")
    trip_waiting_period = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)],
                                                      help_text="Seconds to wait after a covered trip.")
    organization_only = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "network"

    class Meta:
        ordering = ["network", "name", "id"]

    def __str__(self):
        return self.name


class SubscriptionPrice(TimeStampedModel):
    class Interval(models.TextChoices):
        DAY = "day"
        WEEK = "week"
        MONTH = "month"
        YEAR = "year"

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="prices")
    price = models.DecimalField(**MONEY)
    interval_type = models.CharField(max_length=5, choices=Interval.choices)
    interval_count = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(365)])
    free_credits = models.DecimalField(null=True, blank=True, **MONEY)
    available = models.BooleanField(default=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "subscription__network"

    class Meta:
        ordering = ["subscription", "price", "id"]
        constraints = non_negative("subscription_price", "price", "free_credits")


class SubscriptionDiscount(TimeStampedModel):
    class Duration(models.TextChoices):
        ONCE = "once"
        REPEATING = "repeating"
        FOREVER = "forever"

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="subscription_discounts")
    percent_off = models.DecimalField(max_digits=5, decimal_places=2,
                                      validators=[MinValueValidator(1), MaxValueValidator(100)])
    duration = models.CharField(max_length=9, choices=Duration.choices)
    duration_in_months = models.PositiveSmallIntegerField(null=True, blank=True)

    scope_network_path = "network"

    class Meta:
        ordering = ["network", "id"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(duration="repeating", duration_in_months__isnull=False)
                       | (~models.Q(duration="repeating") & models.Q(duration_in_months__isnull=True))),
            name="months_only_when_repeating")]


class RiderSubscription(TimeStampedModel):
    """A rider's subscription at one price: each period paid on his card ahead (apps.commerce.subscriptions), renewed
    by a beat task until he cancels it (at the end of the period he paid)."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending (its first period's payment is not settled yet)"
        ACTIVE = "active"
        PAST_DUE = "past_due", "past due (the renewal was declined; tried again)"
        CANCELED = "canceled"

    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="subscriptions")
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="subscribers")
    price = models.ForeignKey(SubscriptionPrice, on_delete=models.PROTECT, related_name="subscribers")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    periods_paid = models.PositiveIntegerField(default=0)
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True, db_index=True)
    cancel_at_period_end = models.BooleanField(default=False)
    canceled_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "network"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["rider", "subscription"], condition=~models.Q(status="canceled"),
            name="one_open_subscription_per_rider")]

    def __str__(self):
        return f"{self.subscription} of rider {self.rider_id} ({self.status})"
