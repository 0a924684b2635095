from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.CategoryView, views.SubCategoryView, views.ContentView, views.CategoryName,
                             views.SubCategoryName, views.ContentText, views.FaqLanguages)
