"""Organizations: companies or schools whose members ride under shared rules (and sometimes its bill)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

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
    manual_approbation = models.BooleanField(default=False, help_text="Enrolment requests wait for an answer.")
    enable_enrolment_token = models.BooleanField(default=False, help_text="Riders may join with the enrolment token.")
    enrolment_token = models.CharField(max_length=32, blank=True)
    enrolment_custom_field = models.CharField(max_length=255, null=True, blank=True,
                                              help_text="A question riders answer when they ask to join.")
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


class OrganizationRule(TimeStampedModel):
    """When the organization pays for its members' trips: in a network, in a weekly window (local time; the
    pricing rules' convention: 0 is Sunday, end exclusive, equal ends mean the whole week), for `paid_by_org_ratio`
    of the cost, up to `max_vehicles` trips under way at once (when set)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="rules")
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    rule_name = models.CharField(max_length=128)
    network_name = models.CharField(max_length=128, help_text="How the organization's members see the network.")
    start_dow = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    start_hod = models.PositiveIntegerField(validators=[MaxValueValidator(86_400)], help_text="Seconds after midnight.")
    end_dow = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    end_hod = models.PositiveIntegerField(validators=[MaxValueValidator(86_400)])
    max_vehicles = models.PositiveIntegerField(null=True, blank=True)
    paid_by_org_ratio = models.DecimalField(max_digits=5, decimal_places=4,
                                            validators=[MinValueValidator(0), MaxValueValidator(1)])

    @classmethod
    def scope_filter(cls, scope):
        """A rule belongs to its organization and to its network: reaching the organization is not enough, the
        rule's network must be covered too (a shared organization's rules elsewhere stay out of reach)."""
        return Q(organization__in=scope.organizations, network__in=scope.networks)

    class Meta:
        ordering = ["organization", "network", "start_dow", "start_hod", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(paid_by_org_ratio__gte=0, paid_by_org_ratio__lte=1),
                                              name="organization_rule_ratio_0_1")]

    def __str__(self):
        return self.rule_name


class EnrolmentRequest(TimeStampedModel):
    """A rider asking to join (organizations with manual approbation); accepted with an optional end of membership
    (`revoke_at`, applied by a beat task) or rejected with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        REJECTED = "rejected"
        REVOKED = "revoked"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="enrolment_requests")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_requests")
    custom_field_answer = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reject_reason = models.CharField(max_length=500, blank=True)
    revoke_at = models.DateField(null=True, blank=True)

    scope_organization_path = "organization"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organization", "rider"], condition=models.Q(status="pending"),
                                               name="one_pending_request_per_rider")]
