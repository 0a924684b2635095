from rest_framework import serializers

from apps.core.api.outputs import IdNameOut
from apps.core.api.params import CatalogSerializer
from apps.organizations.models import Organization

from ..models import Badge, Device, RiderMessage


class RiderRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    firstname = serializers.CharField()
    lastname = serializers.CharField()


class UserOut(RiderRefOut):
    """A rider in lists (the contract's core user fields); figures are over the networks asked for."""

    phone_number = serializers.CharField()
    register_at = serializers.DateTimeField()
    last_activity = serializers.DateTimeField(source="network_last_activity", allow_null=True,
                                              help_text="Last interaction with the networks asked for.")
    trip_count = serializers.IntegerField(source="network_trip_count", help_text="Trips in the networks asked for.")
    blocked = serializers.BooleanField()
    organization_id = serializers.IntegerField(allow_null=True)
    app_label_id = serializers.IntegerField(allow_null=True)
    label_name = serializers.CharField(source="app_label.name", allow_null=True, default=None)


class MembershipOut(serializers.Serializer):
    network = IdNameOut()
    first_activity_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()
    trip_count = serializers.IntegerField()


class ProfileOut(UserOut):
    is_active = serializers.BooleanField(help_text="False once erased or deactivated.")
    organization = IdNameOut(allow_null=True)
    app_label = IdNameOut(allow_null=True)
    networks = MembershipOut(many=True, help_text="The networks (you see) the rider interacted with.")
    device_count = serializers.IntegerField()
    block_count = serializers.IntegerField(help_text="Times the rider was blocked.")
    message_count = serializers.IntegerField(help_text="Messages sent to the rider.")
    shared_devices = serializers.ListField(child=serializers.DictField(), help_text=(
        "Devices of the rider also used by other accounts: `device_id`, `platform`, `other_accounts`."))


class NetworkFiguresOut(serializers.Serializer):
    network = IdNameOut()
    currency = serializers.CharField()
    trip_count = serializers.IntegerField()
    finished_trip_count = serializers.IntegerField()
    total_distance = serializers.IntegerField(help_text="Meters.")
    total_duration = serializers.IntegerField(help_text="Seconds.")
    amount_charged = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)
    first_trip_date = serializers.DateTimeField(allow_null=True)
    last_trip_date = serializers.DateTimeField(allow_null=True)
    report_count = serializers.IntegerField(help_text="Support reports linked to this network.")
    open_report_count = serializers.IntegerField()


class StaffOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()


class BlockOut(serializers.Serializer):
    reason = serializers.CharField()
    blocked_at = serializers.DateTimeField()
    blocked_by = StaffOut(allow_null=True)
    unblocked_at = serializers.DateTimeField(allow_null=True)
    unblocked_by = StaffOut(allow_null=True)


class BlockInfoOut(serializers.Serializer):
    blocked = serializers.BooleanField()
    blocked_at = serializers.DateTimeField(allow_null=True)
    blocked_by = StaffOut(allow_null=True, help_text="Who blocked the rider.")
    reason = serializers.CharField(allow_null=True)
    history = BlockOut(many=True, help_text="Every block, newest first.")


class BadgeOut(serializers.ModelSerializer):
    class Meta:
        model = Badge
        fields = ["id", "number", "label", "created_at", "disabled_at"]


class DeviceOut(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = ["id", "device_id", "platform", "model", "os_version", "app_version", "first_seen_at", "last_seen_at"]


class DeviceUserOut(RiderRefOut):
    blocked = serializers.BooleanField()
    first_seen_at = serializers.DateTimeField(source="device_first_seen")
    last_seen_at = serializers.DateTimeField(source="device_last_seen")


class MessageOut(serializers.ModelSerializer):
    sent_by = StaffOut(allow_null=True)

    class Meta:
        model = RiderMessage
        fields = ["id", "channel", "subject", "body", "template", "language", "status", "provider_message_id",
                  "error", "sent_by", "created_at", "sent_at", "opened_at", "clicked_at"]


class PaymentMethodOut(serializers.Serializer):
    id = serializers.IntegerField()
    method_type = serializers.CharField()
    brand = serializers.CharField()
    last4 = serializers.CharField()
    fingerprint = serializers.CharField()
    expiry_month = serializers.IntegerField(allow_null=True)
    expiry_year = serializers.IntegerField(allow_null=True)
    is_default = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class ProviderMethodsOut(serializers.Serializer):
    provider = serializers.CharField()
    methods = PaymentMethodOut(many=True)


class ActionOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=["trip-start", "trip-end", "report", "transaction"])
    date = serializers.DateTimeField(source="moment", help_text="Pass the last one as `before_date` for the next page.")
    object_id = serializers.IntegerField(help_text="The trip's, report's or transaction's id.")
    network_id = serializers.IntegerField(source="network_ref", allow_null=True)


class ApiRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    api = serializers.CharField(help_text="dashboard or mobile")
    date = serializers.DateTimeField()
    target_path = serializers.CharField()
    verb = serializers.CharField()
    user_agent = serializers.CharField()
    ip = serializers.CharField()
    http_code = serializers.IntegerField()
    knot_code = serializers.IntegerField(allow_null=True)
    duration_ms = serializers.IntegerField()


class SendMessageBody(CatalogSerializer):
    operation_id = "sendUserMessage"
    channel = serializers.ChoiceField(
        choices=RiderMessage.Channel.choices, required=False,
        help_text="Not in the seed: push, sms or email. Absent: push if the rider has a device that accepts it, "
                  "else SMS if it has a phone number, else e-mail.")


class LinkOrganizationBody(CatalogSerializer):
    operation_id = "linkUserOrganization"
    references = {"organization": Organization.objects.all()}
