from apps.core.api.routing import operation_urls

from .views import AccessLogList

urlpatterns = operation_urls(AccessLogList)
