from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.OfferCollection, views.OfferDetail, views.PassCollection, views.PassDetail, views.SubscriptionCollection,
    views.SubscriptionDetail, views.PriceCollection, views.PriceDetail, views.SubscriptionDiscountCollection,
    views.SubscriptionDiscountDetail, views.UserPassList, views.UserPassDetail, views.UserPassDisable,
)
