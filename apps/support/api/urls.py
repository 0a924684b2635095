from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.ReportCollection, views.ReportDetail, views.ReportResolve,
                             views.ReportMessageCollection, views.ReportMessageDetail, views.ReportImages,
                             views.ReportNetworks, views.ReportNetworkDetail)
