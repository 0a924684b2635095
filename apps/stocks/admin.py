from django.contrib import admin

from apps.core.admin import ScopedInline, ScopedModelAdmin, ShapedModelForm

from .models import AutoStockArea, Stock, StockedVehicle


class AutoStockAreaInline(ScopedInline, admin.StackedInline):
    model = AutoStockArea
    form = ShapedModelForm
    readonly_fields = ["min_latitude", "max_latitude", "min_longitude", "max_longitude"]


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
