"""Discounts (promotions) of a network and their codes. A code of a trip discount (types 2 and 6) is a coupon
riders apply to a trip from the mobile app (apps.discounts.coupons)."""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from apps.core.models import ScopedModel, TimeStampedModel, non_negative


class Discount(TimeStampedModel):
    class Type(models.IntegerChoices):
        CREDITS = 1, "Add credits to the user"
        NEXT_TRIP = 2, "Discount on the price of the next trip"
        PURCHASES_PERCENT = 3, "Percentage discount on all future purchases until the stop date"
        NEXT_PURCHASE = 5, "Discount on the price of the next purchase"
        TRIPS_PERCENT = 6, "Percentage discount on all future trips until the stop date"

    TRIP_TYPES = (Type.NEXT_TRIP, Type.TRIPS_PERCENT)
    PERCENT_TYPES = (Type.PURCHASES_PERCENT, Type.TRIPS_PERCENT)

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="discounts")
    name = models.CharField(max_length=255)
    type = models.PositiveSmallIntegerField(choices=Type.choices)
    data = models.DecimalField(max_digits=12, decimal_places=4, validators=[MinValueValidator(0)],
                               help_text="A percentage (types 3 and 6) or an amount in the network currency.")
    start_date = models.DateField(help_text="From when it can be registered and used.")
    request_end_date = models.DateField(null=True, blank=True, help_text="From when it can no longer be registered.")
    stop_date = models.DateField(null=True, blank=True, help_text="From when it can no longer be used.")
    # Coupon conditions (the mobile API's errors need them).
    valid_from_time = models.TimeField(null=True, blank=True, help_text="Trips starting from this local time...")
    valid_until_time = models.TimeField(null=True, blank=True, help_text="...and before this one (may wrap midnight).")
    cumulative = models.BooleanField(default=False, help_text="May be added to a promotion already on the trip.")
    organizations = models.ManyToManyField("organizations.Organization", blank=True, related_name="+",
                                           help_text="When set, only their members may use its coupons.")
    disabled_at = models.DateTimeField(null=True, blank=True, help_text="Deleted after use: kept, but unusable.")

    scope_network_path = "network"

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = non_negative("discount", "data")

    def __str__(self):
        return self.name


class DiscountCode(TimeStampedModel):
    discount = models.ForeignKey(Discount, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=50, unique=True)
    remaining = models.IntegerField(validators=[MinValueValidator(-1)], help_text="Uses left; -1 is unlimited.")
    email_access_pattern = models.CharField(max_length=255, default="%",
                                            help_text="LIKE pattern of the riders' emails allowed; % is everyone.")

    scope_network_path = "discount__network"

    class Meta:
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=models.Q(remaining__gte=-1), name="code_remaining_from_minus_1")]

    def __str__(self):
        return self.code


class CouponUse(ScopedModel):
    """A coupon applied to a trip: once per trip, and once per rider and code."""

    trip = models.OneToOneField("trips.Trip", on_delete=models.CASCADE, related_name="coupon_use")
    code = models.ForeignKey(DiscountCode, on_delete=models.PROTECT, related_name="uses")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(auto_now_add=True)

    scope_network_path = "trip__network"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "rider"], name="coupon_once_per_rider")]

    def __str__(self):
        return f"{self.code} on trip {self.trip_id}"
