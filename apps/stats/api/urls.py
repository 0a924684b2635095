from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.UsageStats, views.UsageStatsSummary, views.TripsByDow, views.TripsByTimeOfDay,
                             views.TripDistanceDistribution, views.TripDurationDistribution, views.StationDistribution,
                             views.UsageStatsOrganizations)
