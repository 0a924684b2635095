from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.ApplyTripCoupon, views.TripAdditionalCosts, views.TripHistory, views.StartTrip,
                             views.RiderTripDetail, views.PauseTrip, views.ResumeTrip, views.EndTrip,
                             views.NearbyVehicles)
