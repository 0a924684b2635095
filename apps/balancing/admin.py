from django.contrib import admin

from apps.core.admin import ScopedModelAdmin
from apps.core.permissions import resolve_scope

from . import services
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
    rule_fields = ("network", "donor", "receiver")  # a route is set anew, not moved

    def save_through_service(self, request, obj, form, change):
        # The API's rules: a donor cluster to a receiver cluster of the network, both in the user's scope.
        return services.discount_set(network=obj.network, scope=resolve_scope(request.user, self.permission_key,
                                                                              write=True),
                                     donor_cluster_id=obj.donor.cluster_id,
                                     receiver_cluster_id=obj.receiver.cluster_id,
                                     discount_amount=obj.discount_amount)
