from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin, ScopedInline, ScopedModelAdmin

from . import services
from .models import EnrolmentRequest, Organization, OrganizationRule


class RuleInline(ScopedInline, admin.TabularInline):
    model = OrganizationRule
    extra = 0
    fields = ["rule_name", "network", "network_name", "start_dow", "start_hod", "end_dow", "end_hod", "max_vehicles",
              "paid_by_org_ratio"]


@admin.register(Organization)
class OrganizationAdmin(ScopedModelAdmin):
    permission_key = "organizations"
    list_display = ["name", "third_party", "administrator", "is_guarantor", "allow_outside_rules", "created_at"]
    list_filter = ["is_guarantor", "allow_outside_rules", "only_show_matching_clusters", "manual_approbation"]
    search_fields = ["name", "third_party__name"]
    list_select_related = ["third_party", "administrator"]
    raw_id_fields = ["administrator", "members"]
    readonly_fields = ["enrolment_token"]
    inlines = [RuleInline]


@admin.register(EnrolmentRequest)
class EnrolmentRequestAdmin(ReadOnlyAdmin):
    """Requests to join; answered through the service (accept / reject actions here, or the API)."""

    permission_key = "organizations"
    list_display = ["organization", "rider", "status", "created_at", "answered_at", "revoke_at"]
    list_filter = ["status", "organization"]
    list_select_related = ["organization", "rider"]
    search_fields = ["rider__email"]
    actions = ["accept"]

    @admin.action(description="Accept the selected requests")
    def accept(self, request, queryset):
        self.each_through_service(request, queryset, lambda enrolment: services.enrolment_answer(
            request=enrolment, accept=True, actor=request.user), "accepted")
