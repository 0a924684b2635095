from django.db.models import Prefetch

from apps.networks.api.base import NetworkPathView

from .. import services
from ..models import NotificationSetting, NotificationTarget
from .serializers import NotificationSettingOut


class NetworkNotificationView(NetworkPathView):
    def setting(self) -> NotificationSetting:
        settings = self.scoped(NotificationSetting.objects.filter(network=self.network))
        return self.get_object(pk=self.kwargs["notification_id"], queryset=settings)


class NotificationSettingCollection(NetworkNotificationView):
    operations = {"GET": "listNetworkNotificationSettings", "POST": "createNetworkNotificationSetting"}
    output_serializers = {"GET": NotificationSettingOut, "POST": NotificationSettingOut}

    def get(self, request, network_id):
        targets = NotificationTarget.objects.select_related("user").order_by("id")
        settings = self.network.notification_settings.prefetch_related(Prefetch("targets", queryset=targets))
        return self.respond_list(settings.order_by("id"))

    def post(self, request, network_id):
        return self.respond_object(services.setting_save(
            network=self.network, notification_type=self.body["notification_type"],
            alert_types=self.body["alert_types"], alert_severities=self.body["alert_severities"],
            check_interval=self.body.get("check_interval"), check_delay=self.body.get("check_delay")))


class NotificationSettingDetail(NetworkNotificationView):
    operations = {"PUT": "updateNetworkNotificationSetting", "DELETE": "deleteNetworkNotificationSetting"}

    def put(self, request, network_id, notification_id):
        services.setting_save(
            network=self.network, setting=self.setting(), notification_type=self.body["notification_type"],
            alert_types=self.body["alert_types"], alert_severities=self.body["alert_severities"],
            check_interval=self.body.get("check_interval"), check_delay=self.body.get("check_delay"))
        return self.respond()

    def delete(self, request, network_id, notification_id):
        self.setting().delete()
        return self.respond()


class NotificationTargets(NetworkNotificationView):
    operations = {"POST": "addNetworkNotificationTarget", "DELETE": "deleteNetworkNotificationTarget"}

    def post(self, request, network_id, notification_id):
        services.target_add_user(setting=self.setting(), user_id=self.body["user_id"])
        return self.respond()

    def delete(self, request, network_id, notification_id):
        services.target_remove(setting=self.setting(), user_id=self.query.get("user_id"), email=self.query.get("email"))
        return self.respond()
