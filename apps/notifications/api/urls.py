from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.NotificationSettingCollection, views.NotificationSettingDetail,
                             views.NotificationTargets)
