from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.DiscountCollection, views.DiscountDetail, views.DiscountCodeCollection,
                             views.DiscountCodeDetail)
