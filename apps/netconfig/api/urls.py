from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.AccessRuleCollection,
    views.AccessRuleDetail,
    views.Sponsorship,
    views.ModelSettingsList,
    views.ModelGuaranteeList,
    views.ModelSettings,
    views.ModelGuarantee,
    views.SpeedSettings,
    views.VehicleSettingsReset,
    views.RentSettings,
    views.RentTimings,
    views.FreefloatReward,
)
