from apps.core.api.routing import operation_urls

from . import organization_views, shop_views, views

urlpatterns = operation_urls(views.SignUpRider, views.LogInRider, views.LogOutRider, views.RiderProfile,
                             views.RiderCards, views.RiderCardDefault, views.RiderCardDetail, views.RiderWallet,
                             views.AcceptRiderTerms, views.RefreshRiderToken, views.RiderDevices,
                             views.DeleteRiderAccount, shop_views.NetworkCatalogue, shop_views.BuyOffer,
                             shop_views.BuyPass, shop_views.RiderPasses, organization_views.JoinableOrganizations,
                             organization_views.JoinOrganization, organization_views.JoinOrganizationByToken,
                             organization_views.RiderOrganizations,
                             views.RequestRiderPasswordReset, views.ResetRiderPassword, shop_views.RiderInvoices,
                             shop_views.RiderInvoicePdf, views.RequestRiderPhoneCode, views.VerifyRiderPhoneCode,
                             shop_views.Subscribe, shop_views.RiderSubscriptions, shop_views.CancelRiderSubscription)
