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
    views.VehicleCollection,
    views.DecommissionedVehicleList,
    views.UsedSerialList,
    views.VehicleDetail,
    views.VehicleNetwork,
    views.ExternalLockCollection,
    views.VehicleExternalLock,
    views.VehicleExternalLockCode,
    views.FleetAlertList,
    views.FleetAlertHistory,
    views.FleetAlertResolve,
    views.VehicleAlertList,
    views.CurrentMaintenanceList,
    views.VehicleMaintenanceList,
    views.ClusterMaintenanceList,
    views.MaintenanceTypeCollection,
)
