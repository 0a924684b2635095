from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.ClusterParkingCollection,
    views.VirtualParkingCollection,
    views.VirtualParkingDetail,
    views.NetworkBorderView,
    views.NetworkBorderShape,
    views.NetworkBorderSettings,
    views.SpeedZoneCollection,
    views.SpeedZoneDetail,
)
