from apps.core.api.routing import operation_urls

from .views import LanguageCollection, LocalizationCollection

urlpatterns = operation_urls(LocalizationCollection, LanguageCollection)
