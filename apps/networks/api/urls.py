from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.NetworkCollection,
    views.NetworkShortList,
    views.NetworkDetail,
    views.ThirdPartyCollection,
    views.ErpThirdPartyList,
    views.ErpThirdPartyImport,
    views.NetworkOutOfOrderCollection,
    views.OutOfOrderDetail,
)
