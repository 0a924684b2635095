from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.UsageStats, views.UsageStatsSummary, views.TripsByDow, views.TripsByTimeOfDay,
                             views.TripDistanceDistribution, views.TripDurationDistribution, views.StationDistribution,
                             views.UsageStatsOrganizations, views.OverviewStations, views.OverviewVehicles,
                             views.OverviewTrips, views.OverviewUsers, views.OverviewMap, views.Heatmap)
