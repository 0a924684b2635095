from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.TripList, views.TripDetail, views.VehicleStatistics, views.VehicleTimeline,
                             views.TripBillingStop, views.UserReport)
