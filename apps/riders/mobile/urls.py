from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.SignUpRider, views.LogInRider, views.LogOutRider, views.RiderProfile,
                             views.RiderCards, views.RiderCardDefault, views.RiderCardDetail, views.RiderWallet,
                             views.AcceptRiderTerms, views.RefreshRiderToken, views.RiderDevices,
                             views.DeleteRiderAccount)
