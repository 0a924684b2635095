from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.AppReportCollection, views.AppReportResolve, views.AppVersionCollection)
