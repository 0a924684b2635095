from rest_framework import serializers

from apps.core.api.views import OperationView
from apps.core.models import UNSET

from .. import services
from ..phone import phone_providers
from ..models import AppLabel, AppLabelMailSetting
from .serializers import AppLabelMailSettingOut, AppLabelOut, AppLabelPublicOut, CreateAppLabelBody


class PhoneProviderOut(serializers.Serializer):
    key = serializers.CharField(help_text="The provider's key in PHONE_PROVIDERS.")
    name = serializers.CharField()


class AppLabelCollection(OperationView):
    operations = {"GET": "listAppLabels", "POST": "createAppLabel"}
    body_serializers = {"POST": CreateAppLabelBody}
    output_serializers = {"GET": AppLabelPublicOut, "POST": AppLabelOut}
    queryset = AppLabel.objects.all()

    def get(self, request):
        return self.respond_list(self.get_queryset().order_by("id"))

    def post(self, request):
        label = self.check_in_scope(services.app_label_create(
            name=self.body["name"], display_name=self.body["display_name"], billing_info=self.body["billing_info"]))
        return self.respond_object(label)


class AppLabelDetail(OperationView):
    operations = {"GET": "getAppLabel", "PUT": "updateAppLabel"}
    output_serializers = {"GET": AppLabelOut}
    queryset = AppLabel.objects.select_related("billing")

    def get(self, request, app_label_id):
        return self.respond_object(self.get_object())

    def put(self, request, app_label_id):
        services.app_label_update(
            app_label=self.get_object(), require_sms_validation=self.body["require_sms_validation"],
            phone_sms_provider_id=self.body["phone_sms_provider_id"],
            require_terms_of_use=self.body["require_terms_of_use"], auto_delete_users=self.body["auto_delete_users"],
            android_store_url=self.body["android_store_url"], ios_store_url=self.body["ios_store_url"],
            saved_payment_method_is_optional=self.body["saved_payment_method_is_optional"],
            website=self.body["website"], contact_email=self.body["contact_email"],
            contact_phone_number=self.body["contact_phone_number"])
        return self.respond()


class AppLabelMailSettingView(OperationView):
    operations = {"GET": "getAppLabelMailSetting", "PUT": "updateAppLabelMailSetting"}
    output_serializers = {"GET": AppLabelMailSettingOut}
    queryset = AppLabel.objects.all()

    def get(self, request, app_label_id):
        label = self.get_object()
        setting = AppLabelMailSetting.objects.filter(app_label=label).first()
        if setting is None:
            # Not configured yet: mails are off and nothing is set.
            return self.respond({"send_mails": False, "sender_address": None, "sender_name": None,
                                 "reply_to": None, "notification_email": None})
        return self.respond_object(setting)

    def put(self, request, app_label_id):
        services.app_label_set_mail_setting(app_label=self.get_object(), values=self.body)
        return self.respond()


class AppLabelBillingView(OperationView):
    operations = {"PUT": "updateAppLabelBilling"}
    queryset = AppLabel.objects.all()

    def put(self, request, app_label_id):
        services.app_label_set_billing(
            app_label=self.get_object(), name=self.body.get("name", UNSET),
            legal_form=self.body.get("legal_form", UNSET), vat_number=self.body.get("vat_number", UNSET),
            registration_number=self.body.get("registration_number", UNSET), capital=self.body.get("capital", UNSET),
            street=self.body["street"], zip_code=self.body["zip_code"], city=self.body["city"],
            country=self.body["country"], issuer=self.body.get("issuer", UNSET))
        return self.respond()


class PhoneProviderList(OperationView):
    """The SMS providers configured for this installation (`PHONE_PROVIDERS`); no tenant data."""

    operations = {"GET": "listPhoneProviders"}
    output_serializers = {"GET": PhoneProviderOut(many=True)}

    def get(self, request):
        return self.respond(phone_providers())
