from rest_framework import serializers

from ..models import NotificationSetting, NotificationTarget


class TargetOut(serializers.ModelSerializer):
    email = serializers.SerializerMethodField(help_text="The user's email, or the external address.")

    class Meta:
        model = NotificationTarget
        fields = ["id", "user_id", "email"]

    def get_email(self, target) -> str:
        return target.user.email if target.user_id else target.email


class NotificationSettingOut(serializers.ModelSerializer):
    targets = TargetOut(many=True)

    class Meta:
        model = NotificationSetting
        fields = ["id", "network_id", "notification_type", "alert_types", "alert_severities", "check_interval",
                  "check_delay", "targets", "created_at"]
