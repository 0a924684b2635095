"""How renting works in a network: who may ride, rewards, speeds, rent settings and timings, per-model settings.

Every network has one `NetworkSettings` row, created with defaults the first time it is read or written.
"""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.models import TimeStampedModel, non_negative


def _range(low, high):
    return [MinValueValidator(low), MaxValueValidator(high)]


MONEY = {"max_digits": 12, "decimal_places": 4, "validators": [MinValueValidator(0)]}


class NetworkAccessRule(TimeStampedModel):
    """Riders allowed in a (private) network: by email (a PostgreSQL LIKE pattern), organization or app label."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="access_rules")
    email_pattern = models.CharField(max_length=255, null=True, blank=True, help_text="e.g. %@acme.com")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    app_label = models.ForeignKey("applabels.AppLabel", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")

    scope_network_path = "network"

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(email_pattern__isnull=False) | models.Q(organization__isnull=False)
            | models.Q(app_label__isnull=False), name="access_rule_names_someone")]

    def __str__(self):
        parts = [self.email_pattern, self.organization_id and f"organization {self.organization_id}",
                 self.app_label_id and f"app label {self.app_label_id}"]
        return ", ".join(part for part in parts if part)


class NetworkSettings(TimeStampedModel):
    network = models.OneToOneField("networks.Network", on_delete=models.CASCADE, related_name="settings")
    # Sponsorship (amounts in the network currency)
    sponsoring_reward = models.DecimalField(default=0, **MONEY)
    sponsored_reward = models.DecimalField(default=0, **MONEY)
    # Speeds (km/h)
    default_low_speed = models.PositiveSmallIntegerField(default=15, validators=_range(1, 45))
    default_medium_speed = models.PositiveSmallIntegerField(default=20, validators=_range(1, 45))
    default_high_speed = models.PositiveSmallIntegerField(default=25, validators=_range(1, 45))
    min_battery_to_slow_down = models.PositiveSmallIntegerField(null=True, blank=True, validators=_range(1, 100))
    battery_slow_down_speed = models.PositiveSmallIntegerField(null=True, blank=True, validators=_range(1, 45))
    # Rent settings (the guarantee and pre-authorization rule live on the network)
    first_purchase_required = models.BooleanField(default=False)
    min_battery_to_rent = models.PositiveSmallIntegerField(default=15, validators=_range(10, 95))
    max_simultaneous_rented_vehicle = models.PositiveSmallIntegerField(default=1, validators=_range(1, 10))
    trip_on_hold = models.BooleanField(default=True)
    reservation_duration = models.PositiveIntegerField(
        default=600, validators=_range(0, 3600),
        help_text="Seconds a rider may hold a vehicle before starting it (0: no reservations).")
    parking_required = models.BooleanField(
        default=False, help_text="Trips end only in a virtual parking or at a station (within its unlock distance).")
    out_of_zone_fee = models.DecimalField(
        null=True, blank=True, help_text="Where parking is required: charged for an end elsewhere, instead of "
                                         "refusing it (empty: refused).", **MONEY)
    credit_depletion_auto_lock = models.BooleanField(default=False)
    min_battery_to_auto_lock = models.PositiveSmallIntegerField(null=True, blank=True, validators=_range(1, 50))
    # Rent timings (seconds)
    trip_too_long_notifications = models.PositiveIntegerField(default=4 * 3600, validators=_range(3600, 604_800))
    trip_too_long_notifications_frequency = models.PositiveIntegerField(default=3600, validators=_range(900, 604_800))
    vehicle_stolen = models.PositiveIntegerField(default=48 * 3600, validators=_range(43_200, 2_592_000))
    trip_auto_pause = models.PositiveIntegerField(default=0, validators=_range(0, 604_800), help_text="0: never.")
    trip_max_pause = models.PositiveIntegerField(default=0, validators=_range(0, 604_800), help_text="0: no limit.")
    trip_auto_lock = models.PositiveIntegerField(default=0, validators=_range(0, 604_800), help_text="0: no limit.")
    # Freefloat-to-station reward (null: not granted)
    freefloat_to_station_discount_per_km = models.DecimalField(null=True, blank=True, **MONEY)
    freefloat_to_station_free_credits = models.DecimalField(null=True, blank=True, **MONEY)
    freefloat_to_receiver_station_free_credits = models.DecimalField(null=True, blank=True, **MONEY)
    freefloat_to_station_min_battery = models.PositiveSmallIntegerField(null=True, blank=True, validators=_range(0, 100))

    scope_network_path = "network"

    class Meta:
        verbose_name_plural = "network settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(default_low_speed__lte=models.F("default_medium_speed"),
                                                      default_medium_speed__lte=models.F("default_high_speed")),
                                   name="speeds_ordered"),
            *non_negative("settings", "sponsoring_reward", "sponsored_reward", "freefloat_to_station_discount_per_km",
                          "freefloat_to_station_free_credits", "freefloat_to_receiver_station_free_credits"),
        ]

    def __str__(self):
        return f"Settings of {self.network}"


class VehicleModelSettings(TimeStampedModel):
    """How vehicles of one model behave in one network."""

    class SpeedMode(models.IntegerChoices):
        ECO = 1
        NORMAL = 2
        SPORT = 3

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="vehicle_model_settings")
    model = models.ForeignKey("fleet.VehicleModel", on_delete=models.CASCADE, related_name="+")
    auto_light = models.BooleanField(default=False, help_text="Turn the light on when unlocking.")
    speed_mode = models.PositiveSmallIntegerField(null=True, blank=True, choices=SpeedMode.choices,
                                                  help_text="Locks the speed mode (and disables the button).")

    scope_network_path = "network"

    class Meta:
        ordering = ["model__name"]
        constraints = [models.UniqueConstraint(fields=["network", "model"], name="one_settings_per_network_model")]
        verbose_name_plural = "vehicle model settings"


class VehicleModelGuarantee(TimeStampedModel):
    """What a rider of one model in one network is billed if the vehicle is not returned, and pre-authorized."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="vehicle_model_guarantees")
    model = models.ForeignKey("fleet.VehicleModel", on_delete=models.CASCADE, related_name="+")
    guarantee = models.DecimalField(**MONEY)
    pre_auth = models.DecimalField(**MONEY)

    scope_network_path = "network"

    class Meta:
        ordering = ["model__name"]
        constraints = [models.UniqueConstraint(fields=["network", "model"], name="one_guarantee_per_network_model"),
                       *non_negative("guarantee", "guarantee", "pre_auth")]


class VehicleSettingsPush(TimeStampedModel):
    """A request to send the network's settings to every vehicle (resetNetworkVehicleSettings)."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    vehicle_count = models.PositiveIntegerField(default=0, help_text="Vehicles the settings were sent to.")
    completed_at = models.DateTimeField(null=True, blank=True)

    scope_network_path = "network"

    def __str__(self):
        return f"Settings push {self.pk} to {self.network}"
