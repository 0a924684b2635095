from django.contrib import admin

from apps.core.admin import ScopedModelAdmin

from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(ScopedModelAdmin):
    permission_key = "organizations"
    list_display = ["name", "third_party", "administrator", "is_guarantor", "allow_outside_rules", "created_at"]
    list_filter = ["is_guarantor", "allow_outside_rules", "only_show_matching_clusters"]
    search_fields = ["name", "third_party__name"]
    list_select_related = ["third_party", "administrator"]
    raw_id_fields = ["administrator"]
