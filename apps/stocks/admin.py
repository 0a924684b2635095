from django.contrib import admin

from apps.core.admin import ReadOnlyInline, ScopedInline, ScopedModelAdmin, ShapedAdminMixin

from . import services
from .models import AutoStockArea, Stock, StockedVehicle


class AutoStockAreaInline(ShapedAdminMixin, ScopedInline, admin.StackedInline):
    model = AutoStockArea


class StockedVehicleInline(ReadOnlyInline):
    """The vehicles in the stock; they enter through the vehicles' "put in stock" action (the service checks the
    network and ends what the vehicle was doing) and leave when they return to service."""

    model = StockedVehicle


@admin.register(Stock)
class StockAdmin(ScopedModelAdmin):
    permission_key = "stocks.manage"
    list_display = ["name", "network", "city", "zipcode", "created_at"]
    list_filter = ["network"]
    search_fields = ["name", "city", "street"]
    list_select_related = ["network"]
    inlines = [AutoStockAreaInline, StockedVehicleInline]
    rule_fields = ("network",)  # its vehicles stay in their network

    def save_formset(self, request, form, formset, change):
        if formset.model is not AutoStockArea:
            return super().save_formset(request, form, formset, change)
        # A new or redrawn area goes through the service, which then stocks the vehicles parked inside it. The
        # formset's lists say what was done, for the change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for area_form in formset.forms:
            if area_form in formset.deleted_forms:
                if area_form.instance.pk:
                    area_form.instance.delete()
                    formset.deleted_objects.append(area_form.instance)
            elif area_form.has_changed():
                existed = area_form.instance.pk is not None
                area = services.stock_set_auto_area(stock=form.instance, shape=area_form.instance.shape)
                if existed:
                    formset.changed_objects.append((area, area_form.changed_data))
                else:
                    formset.new_objects.append(area)

    def delete_model(self, request, obj):
        services.stock_delete(stock=obj)  # refused while vehicles are stored there

    def delete_queryset(self, request, queryset):
        self.each_through_service(request, self.restricted(request, queryset, write=True),
                                  lambda stock: services.stock_delete(stock=stock), "deleted")
