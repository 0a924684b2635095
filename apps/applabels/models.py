"""White labels: the brands under which riders see the service (their own app, mails, invoices)."""
from django.db import models

from apps.core.models import TimeStampedModel


class AppLabel(TimeStampedModel):
    name = models.CharField(max_length=20, unique=True, help_text="Machine name, lowercase letters only.")
    display_name = models.CharField(max_length=32)
    require_sms_validation = models.BooleanField(default=False)
    phone_sms_provider_id = models.PositiveBigIntegerField(null=True, blank=True)
    require_terms_of_use = models.BooleanField(default=True)
    auto_delete_users = models.BooleanField(default=False)
    android_store_url = models.URLField(max_length=100, null=True, blank=True)
    ios_store_url = models.URLField(max_length=100, null=True, blank=True)
    saved_payment_method_is_optional = models.BooleanField(default=False)
    website = models.URLField(max_length=100, null=True, blank=True)
    contact_email = models.EmailField(max_length=100, null=True, blank=True)
    contact_phone_number = models.CharField(max_length=100, null=True, blank=True)

    scope_app_label_path = "id"  # organizational units may list app labels

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.display_name


class AppLabelBilling(models.Model):
    """The legal identity printed on the label's invoices."""

    app_label = models.OneToOneField(AppLabel, on_delete=models.CASCADE, related_name="billing")
    name = models.CharField(max_length=100, blank=True)
    legal_form = models.CharField(max_length=50, null=True, blank=True)
    vat_number = models.CharField(max_length=50, null=True, blank=True)
    registration_number = models.CharField(max_length=50, null=True, blank=True)
    capital = models.CharField(max_length=50, null=True, blank=True)
    street = models.CharField(max_length=200)
    zip_code = models.CharField(max_length=20)
    city = models.CharField(max_length=150)
    country = models.CharField(max_length=100)
    issuer = models.CharField(max_length=100, null=True, blank=True)

    def __str__(self):
        return f"Billing of {self.app_label}"


class AppLabelMailSetting(models.Model):
    app_label = models.OneToOneField(AppLabel, on_delete=models.CASCADE, related_name="mail_setting")
    send_mails = models.BooleanField(default=False)
    sender_address = models.EmailField(max_length=255)
    sender_name = models.CharField(max_length=32, blank=True)
    reply_to = models.EmailField(max_length=255, null=True, blank=True)
    notification_email = models.EmailField(max_length=255)

    def __str__(self):
        return f"Mail setting of {self.app_label}"
