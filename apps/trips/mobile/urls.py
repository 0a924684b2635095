from apps.core.api.routing import operation_urls

from . import map_views, views

urlpatterns = operation_urls(views.ApplyTripCoupon, views.TripAdditionalCosts, views.TripHistory, views.StartTrip,
                             views.RiderTripDetail, views.PauseTrip, views.ResumeTrip, views.EndTrip, views.PayTripDebt,
                             views.NearbyVehicles, views.Reservations, views.CurrentReservation,
                             views.ReservationDetail, map_views.RiderNetworks, map_views.NetworkStations,
                             map_views.NetworkGeofencing, map_views.TripPricePreview)
