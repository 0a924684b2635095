from django.contrib import admin

from apps.core.admin import ScopedInline, ScopedModelAdmin

from .models import CouponUse, Discount, DiscountCode


class CodeInline(ScopedInline, admin.TabularInline):
    model = DiscountCode
    extra = 0


@admin.register(Discount)
class DiscountAdmin(ScopedModelAdmin):
    permission_key = "offers"
    list_display = ["name", "network", "type", "data", "start_date", "stop_date", "cumulative", "disabled_at"]
    list_filter = ["network", "type", "cumulative"]
    list_select_related = ["network"]
    search_fields = ["name", "codes__code"]
    filter_horizontal = ["organizations"]
    inlines = [CodeInline]


@admin.register(CouponUse)
class CouponUseAdmin(ScopedModelAdmin):
    permission_key = "offers"
    list_display = ["code", "trip", "rider", "applied_at"]
    list_select_related = ["code", "rider"]
    raw_id_fields = ["trip", "rider"]
    search_fields = ["code__code", "rider__email"]
