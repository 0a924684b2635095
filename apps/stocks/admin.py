from django.contrib import admin

from apps.core.admin import ScopedInline, ScopedModelAdmin, ShapedAdminMixin

from .models import AutoStockArea, Stock, StockedVehicle


class AutoStockAreaInline(ShapedAdminMixin, ScopedInline, admin.StackedInline):
    model = AutoStockArea


class StockedVehicleInline(ScopedInline, admin.TabularInline):
    model = StockedVehicle
    extra = 0
    raw_id_fields = ["vehicle"]


@admin.register(Stock)
class StockAdmin(ScopedModelAdmin):
    permission_key = "stocks.manage"
    list_display = ["name", "network", "city", "zipcode", "created_at"]
    list_filter = ["network"]
    search_fields = ["name", "city", "street"]
    list_select_related = ["network"]
    inlines = [AutoStockAreaInline, StockedVehicleInline]
