"""Mail: the app labels' transactional templates (a layout and named templates, each with a draft and a production
version per language), images for templates, mailing lists riders opt into, and newsletters with their targets,
filters, texts per language, send job and per-rider deliveries (the tracking of each mail is on its RiderMessage)."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from apps.core.models import TimeStampedModel


class MailLayout(TimeStampedModel):
    """The base every transactional mail of an app label is wrapped in: `{{ content }}` is where the template goes."""

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="+")
    is_draft = models.BooleanField()
    design = models.TextField(max_length=500_000, blank=True, help_text="The editor's JSON (unlayer), kept as given.")
    html = models.TextField(max_length=500_000)

    scope_app_label_path = "app_label"

    class Meta:
        ordering = ["app_label", "-is_draft"]
        constraints = [models.UniqueConstraint(fields=["app_label", "is_draft"], name="one_mail_layout_per_stage")]

    def __str__(self):
        return f"Mail layout of {self.app_label} ({'draft' if self.is_draft else 'production'})"


class MailTemplateContent(TimeStampedModel):
    """One language of one named template (apps.mail.catalog), draft or production: its texts by key."""

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=32)
    lang = models.CharField(max_length=2)
    is_draft = models.BooleanField()
    contents = models.JSONField(default=dict, help_text="Key -> text (a Jinja2 template run in the sandbox).")

    scope_app_label_path = "app_label"

    class Meta:
        ordering = ["app_label", "name", "lang", "-is_draft"]
        constraints = [models.UniqueConstraint(fields=["app_label", "name", "lang", "is_draft"],
                                               name="one_mail_template_content_per_stage")]

    def __str__(self):
        return f"{self.name} [{self.lang}] ({'draft' if self.is_draft else 'production'})"


class TemplateImage(TimeStampedModel):
    """An image for an app label's templates or for one newsletter; mails carry it inline (Content-ID)."""

    app_label = models.ForeignKey("applabels.AppLabel", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    newsletter = models.ForeignKey("Newsletter", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="images")
    file_key = models.CharField(max_length=255)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    content_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    scope_app_label_path = "app_label"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(app_label__isnull=True) | Q(newsletter__isnull=True),
                                              name="template_image_has_one_owner")]

    def __str__(self):
        return self.file_key


class MailingList(TimeStampedModel):
    """Riders who opted in, per app label. `marketing` lists are the consent marketing newsletters need."""

    class Kind(models.TextChoices):
        MARKETING = "marketing"
        NETWORK_STATUS = "network-status"
        CUSTOM = "custom"

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="mailing_lists")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CUSTOM)

    scope_app_label_path = "app_label"

    class Meta:
        ordering = ["app_label", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["app_label", "name"], name="one_mailing_list_name_per_label")]

    def __str__(self):
        return self.name


class Subscription(models.Model):
    """A rider on a mailing list; unsubscribing keeps the row (the proof of the choice), with its date."""

    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="subscriptions")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_subscriptions")
    subscribed_at = models.DateTimeField()
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mailing_list", "rider"], name="one_subscription_per_list")]

    def __str__(self):
        return f"{self.rider_id} on {self.mailing_list_id}"


class Newsletter(TimeStampedModel):
    class Type(models.TextChoices):
        LEGAL = "legal"
        NETWORK_STATUS = "network-status"
        MARKETING = "marketing"
        CUSTOM_LIST = "custom-list"

    class Transport(models.TextChoices):
        MAILS = "mails"
        PUSH = "push"

    class Status(models.TextChoices):
        DRAFT = "draft"
        PLANNED = "planned"
        SENDING = "sending"
        SENT = "sent"
        CANCELLED = "cancelled"

    name = models.CharField(max_length=255)
    type = models.CharField(max_length=16, choices=Type.choices)
    transport = models.CharField(max_length=5, choices=Transport.choices)
    app_label = models.ForeignKey("applabels.AppLabel", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text="The brand it is sent under (sender, layout); none "
                                                              "for an organization's newsletter: the installation's.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    planned_send_date = models.DateTimeField(null=True, blank=True)
    audience_size = models.PositiveIntegerField(null=True, blank=True, help_text="Riders targeted, counted once "
                                                                                 "when sending starts.")
    send_started_at = models.DateTimeField(null=True, blank=True)
    send_finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "planned_send_date"])]

    def __str__(self):
        return self.name

    @classmethod
    def scope_filter(cls, scope):
        """A newsletter is inside a scope when every one of its targets is: a caller may only see, change and send
        newsletters whose whole audience it could reach."""
        outside = NewsletterTarget.objects.filter(newsletter=OuterRef("pk")).exclude(NewsletterTarget.inside(scope))
        return Q(Exists(NewsletterTarget.objects.filter(newsletter=OuterRef("pk")))) & ~Q(Exists(outside))

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class NewsletterTarget(models.Model):
    class Type(models.TextChoices):
        APP_LABEL = "app-label"
        NETWORK = "network"
        ORGANIZATION = "organization"
        MAILING_LIST = "mailing-list"

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="targets")
    target_type = models.CharField(max_length=12, choices=Type.choices)
    # Exactly one of these, by `target_type`.
    app_label = models.ForeignKey("applabels.AppLabel", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    network = models.ForeignKey("networks.Network", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    mailing_list = models.ForeignKey(MailingList, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.target_type} {self.target_id}"

    FIELDS = {"app-label": "app_label", "network": "network", "organization": "organization",
              "mailing-list": "mailing_list"}

    @property
    def target_id(self) -> int:
        return getattr(self, f"{self.FIELDS[self.target_type]}_id")

    @staticmethod
    def inside(scope) -> Q:
        return (Q(app_label_id__in=scope.app_labels) | Q(network_id__in=scope.networks)
                | Q(organization_id__in=scope.organizations) | Q(mailing_list__app_label_id__in=scope.app_labels))


class NewsletterTargetFilter(models.Model):
    class Type(models.TextChoices):
        TRIP_COUNT = "trip_count"
        VISITED_STATION = "visited_station"
        REGISTER_DURATION = "register_duration"
        LAST_ACTIVITY = "last_activity"
        TRAVELED_DISTANCE = "traveled_distance"
        USAGE_FREQUENCY = "usage_frequency"

    target = models.ForeignKey(NewsletterTarget, on_delete=models.CASCADE, related_name="filters")
    filter_type = models.CharField(max_length=17, choices=Type.choices)
    operator = models.CharField(max_length=1, choices=[("<", "<"), ("=", "="), (">", ">")])
    value = models.BigIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.filter_type} {self.operator} {self.value}"


class NewsletterTemplate(TimeStampedModel):
    """The mail of one language: subject and the editor's HTML (a Jinja2 template run in the sandbox)."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="templates")
    lang = models.CharField(max_length=2)
    subject = models.CharField(max_length=255)
    design = models.TextField(max_length=500_000, blank=True)
    html = models.TextField(max_length=500_000)

    class Meta:
        ordering = ["lang"]
        constraints = [models.UniqueConstraint(fields=["newsletter", "lang"], name="one_newsletter_template_per_lang")]


class NewsletterText(TimeStampedModel):
    """The push notification of one language."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="texts")
    lang = models.CharField(max_length=2)
    title = models.CharField(max_length=65)
    message = models.CharField(max_length=240)

    class Meta:
        ordering = ["lang"]
        constraints = [models.UniqueConstraint(fields=["newsletter", "lang"], name="one_newsletter_text_per_lang")]


class NewsletterDelivery(models.Model):
    """A rider the newsletter goes to: at most one per rider (the send job's idempotency); the mail itself, its
    status and tracking are the RiderMessage (what listUserMails shows)."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    rider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.OneToOneField("riders.RiderMessage", on_delete=models.CASCADE, related_name="delivery")
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["newsletter", "rider"], name="one_delivery_per_rider")]
        # The send job walks a newsletter's mails in id order.
        indexes = [models.Index(fields=["newsletter", "message"], name="delivery_by_message_idx")]
