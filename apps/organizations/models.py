"""Organizations: companies or schools whose members ride under shared rules (and sometimes its bill)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.models import TimeStampedModel


class Organization(TimeStampedModel):
    third_party = models.ForeignKey("networks.ThirdParty", on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    administrator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_guarantor = models.BooleanField(default=False, help_text="Pays for vehicles stolen by its members.")
    allow_outside_rules = models.BooleanField(default=False)
    paid_outside_rules_ratio = models.DecimalField(
        max_digits=5, decimal_places=4, default=0, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    only_show_matching_clusters = models.BooleanField(default=False)
    email_pattern = models.CharField(max_length=255, blank=True, help_text="SQL LIKE pattern of member emails.")
    pays_rule_overrun = models.BooleanField(default=False)
    reenrolment_frequency_in_days = models.PositiveIntegerField(null=True, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="organizations",
                                     help_text="Riders of the organization (its community).")

    scope_organization_path = "id"

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paid_outside_rules_ratio__gte=0, paid_outside_rules_ratio__lte=1),
                name="organization_ratio_0_1",
            ),
        ]

    def __str__(self):
        return self.name
