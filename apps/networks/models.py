"""Networks (one city or service area of an operator) and the third parties that own them."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.models import RestrictedQuerySet, TimeStampedModel
from apps.core.permissions import object_permission_choices


class ThirdParty(TimeStampedModel):
    """A company that owns networks: imported from the ERP (erp_id set) or created by hand."""

    name = models.CharField(max_length=255)
    address = models.CharField(max_length=512)
    zipcode = models.CharField(max_length=10)
    city = models.CharField(max_length=128)
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    erp_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    scope_network_path = None

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "third parties"

    def __str__(self):
        return self.name


class NetworkQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class Network(TimeStampedModel):
    name = models.CharField(max_length=200)
    default_vat = models.DecimalField(
        max_digits=5, decimal_places=4, validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="VAT rate as a fraction (0.2 = 20 %).",
    )
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="networks")
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="networks")
    default_vehicle_guarantee = models.DecimalField(max_digits=12, decimal_places=4)
    trip_to_skip_pre_auth_guarantee = models.IntegerField(
        validators=[MinValueValidator(-1)],
        help_text="-1: pre-authorization always; 0: never; n: after n finished trips.",
    )
    timezone = models.CharField(max_length=64)
    third_party = models.ForeignKey(ThirdParty, null=True, blank=True, on_delete=models.PROTECT, related_name="networks")
    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.PROTECT, related_name="networks")
    closed_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "id"
    # A grant on an app label covers its networks, including ones created after the grant.
    scope_app_label_path = "app_label"

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(default_vat__gte=0, default_vat__lte=1), name="network_vat_0_1"),
            models.CheckConstraint(condition=models.Q(default_vehicle_guarantee__gte=0), name="network_guarantee_gte_0"),
            models.CheckConstraint(condition=models.Q(trip_to_skip_pre_auth_guarantee__gte=-1), name="network_preauth_gte_m1"),
        ]
        # django-guardian object grants: "this user holds `trips` on this network".
        permissions = object_permission_choices()

    def __str__(self):
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class OutOfOrder(TimeStampedModel):
    """A period during which a network's service is suspended (a winter closure, an event, a breakdown)."""

    class Type(models.TextChoices):
        OTHER = "other"
        WINTER = "winter"

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="out_of_orders")
    type = models.CharField(max_length=10, choices=Type.choices)
    reason = models.CharField(max_length=100, blank=True)
    start_date = models.DateTimeField()
    end_date = models.DateTimeField(null=True, blank=True, help_text="Empty until the end is known.")
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_network_path = "network"

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["network", "start_date"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(end_date__isnull=True) | models.Q(end_date__gt=models.F("start_date")),
            name="out_of_order_ends_after_start")]
        verbose_name = "out of order"

    def __str__(self):
        return f"{self.network} {self.type} from {self.start_date:%Y-%m-%d}"

    def is_active(self, at) -> bool:
        return self.start_date <= at and (self.end_date is None or at < self.end_date)
