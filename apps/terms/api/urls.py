from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(views.TargetTerms, views.TermsPublish, views.TermsContentView, views.TermsAttachments)
