from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.UserCollection, views.UserSearch, views.UserProfile, views.UserBlockView,
    views.UserBadgeList, views.UserDeviceList, views.DeviceUserList, views.UserMessages, views.UserMailList,
    views.UserPushList, views.UserLastActions,
    views.UserApiRequests, views.UserOrganization,
)
