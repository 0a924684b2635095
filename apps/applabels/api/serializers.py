from rest_framework import serializers

from apps.core.api.params import CatalogSerializer, catalog_serializer

from ..models import AppLabel, AppLabelBilling, AppLabelMailSetting


class CreateAppLabelBody(CatalogSerializer):
    operation_id = "createAppLabel"
    location = "body"
    # AppLabelBillingParams: the same fields, with the same constraints, as updateAppLabelBilling's body.
    billing_info = catalog_serializer("updateAppLabelBilling", "body")()


class AppLabelBillingOut(serializers.ModelSerializer):
    class Meta:
        model = AppLabelBilling
        fields = ["name", "legal_form", "vat_number", "registration_number", "capital", "street", "zip_code", "city",
                  "country", "issuer"]


class AppLabelPublicOut(serializers.ModelSerializer):
    class Meta:
        model = AppLabel
        fields = ["id", "name", "display_name", "website", "android_store_url", "ios_store_url"]


class AppLabelOut(serializers.ModelSerializer):
    billing_info = AppLabelBillingOut(source="billing", allow_null=True, read_only=True)

    class Meta:
        model = AppLabel
        fields = ["id", "name", "display_name", "require_sms_validation", "phone_sms_provider_id",
                  "require_terms_of_use", "auto_delete_users", "android_store_url", "ios_store_url",
                  "saved_payment_method_is_optional", "website", "contact_email", "contact_phone_number",
                  "billing_info", "created_at", "updated_at"]


class AppLabelMailSettingOut(serializers.ModelSerializer):
    # A label never configured answers nulls (docs/api.md); a configured one has them all but reply_to.
    sender_address = serializers.EmailField(allow_null=True)
    sender_name = serializers.CharField(allow_null=True)
    notification_email = serializers.EmailField(allow_null=True)

    class Meta:
        model = AppLabelMailSetting
        fields = ["send_mails", "sender_address", "sender_name", "reply_to", "notification_email"]
