from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.ClusterCollection,
    views.ClusterSearch,
    views.ClusterDetail,
    views.ClusterStationList,
    views.ClusterPictures,
    views.ClusterCommissioningDate,
    views.ClusterLocation,
    views.ClusterSettings,
    views.ClusterDescriptionView,
    views.ClusterOutageList,
    views.StationDecommission,
    views.StationEnergyConsumption,
)
