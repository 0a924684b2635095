from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.OrganizationCollection, views.OrganizationDetail, views.OrganizationRules, views.OrganizationRuleDetail,
    views.OrganizationEnrolment, views.OrganizationAdministrator, views.OrganizationPayments,
    views.EnrolmentRequests, views.EnrolmentRequestAnswer,
)
