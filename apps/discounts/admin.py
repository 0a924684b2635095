from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin, ReadOnlyInline, ScopedModelAdmin

from . import services
from .models import CouponUse, Discount, DiscountCode

EDITABLE = ("name", "data", "start_date", "request_end_date", "stop_date", "valid_from_time", "valid_until_time",
            "cumulative")


class CodeInline(ReadOnlyInline):
    """A discount's codes, shown; made and changed through the API (a disabled discount's codes never change, a
    used code is never deleted)."""

    model = DiscountCode
    fields = ["code", "remaining", "email_access_pattern"]


@admin.register(Discount)
class DiscountAdmin(ScopedModelAdmin):
    permission_key = "offers"
    list_display = ["name", "network", "type", "data", "start_date", "stop_date", "cumulative", "disabled_at"]
    list_filter = ["network", "type", "cumulative"]
    list_select_related = ["network"]
    search_fields = ["name", "codes__code"]
    filter_horizontal = ["organizations"]
    inlines = [CodeInline]
    readonly_fields = ["disabled_at"]
    rule_fields = ("network", "type")  # as the API: a discount's network and kind are set when it is made

    def save_through_service(self, request, obj, form, change):
        organizations = form.cleaned_data.get("organizations")
        if not change:
            return services.discount_create(network=obj.network, type=obj.type, organizations=organizations,
                                            **{name: getattr(obj, name) for name in EDITABLE})
        return services.discount_update(discount=obj, organizations=organizations,
                                        **self.changed_values(form, EDITABLE))

    def get_deleted_objects(self, objs, request):
        # Nothing blocks the delete page: a used discount (its codes protected by their uses) is disabled instead.
        deleted, counts, permissions_needed, _protected = super().get_deleted_objects(objs, request)
        return deleted, counts, permissions_needed, []

    def delete_model(self, request, obj):
        services.discount_delete(discount=obj)  # a used discount is disabled, not deleted

    def delete_queryset(self, request, queryset):
        self.each_through_service(request, self.restricted(request, queryset, write=True),
                                  lambda discount: services.discount_delete(discount=discount), "deleted or disabled")


@admin.register(CouponUse)
class CouponUseAdmin(ReadOnlyAdmin):
    """Codes applied to trips (addCouponToTrip): a record of what was applied, never typed in."""

    permission_key = "offers"
    list_display = ["code", "trip", "rider", "applied_at"]
    list_select_related = ["code", "rider"]
    search_fields = ["code__code", "rider__email"]
