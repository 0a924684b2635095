from django.contrib import admin

from apps.core.admin import ScopedModelAdmin

from .models import BalancingDiscount, ClusterBalancing


@admin.register(ClusterBalancing)
class ClusterBalancingAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["cluster", "network", "balancing_type", "target_count"]
    list_filter = ["network", "balancing_type"]
    list_select_related = ["cluster", "network"]
    raw_id_fields = ["cluster"]


@admin.register(BalancingDiscount)
class BalancingDiscountAdmin(ScopedModelAdmin):
    permission_key = "networks.manage"
    list_display = ["donor", "receiver", "discount_amount", "network"]
    list_filter = ["network"]
    list_select_related = ["donor__cluster", "receiver__cluster", "network"]
    raw_id_fields = ["donor", "receiver"]
