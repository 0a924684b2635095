from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.AppLabelCollection, views.AppLabelDetail, views.AppLabelMailSettingView, views.AppLabelBillingView,
    views.PhoneProviderList,
)
