from django.contrib import admin

from apps.core.admin import ScopedModelAdmin, ShapedModelForm

from .models import VirtualParking


@admin.register(VirtualParking)
class VirtualParkingAdmin(ScopedModelAdmin):
    form = ShapedModelForm
    permission_key = "virtual.parking"
    list_display = ["id", "network", "cluster", "capacity", "created_at"]
    list_filter = ["network"]
    list_select_related = ["network", "cluster"]
    raw_id_fields = ["cluster"]
    readonly_fields = ["min_latitude", "max_latitude", "min_longitude", "max_longitude"]

