from django.db.models import Count, Q

from apps.fleet.models import Cluster
from apps.networks.api.base import NetworkPathView

from .. import services
from ..models import BalancingDiscount, ClusterBalancing
from ..selectors import balancing_estimate
from .serializers import (
    BalancingOut,
    CreateBalancingBody,
    DiscountBody,
    BalancingDiscountOut,
    EstimateOut,
    UpdateBalancingBody,
)


class BalancingCollection(NetworkPathView):
    operations = {"GET": "listClusterBalancing", "POST": "createClusterBalancing", "PUT": "updateClusterBalancing",
                  "DELETE": "deleteClusterBalancing"}
    body_serializers = {"POST": CreateBalancingBody, "PUT": UpdateBalancingBody}
    output_serializers = {"GET": BalancingOut}

    def get(self, request, network_id):
        docked = Count("cluster__stations__spots__vehicle",
                       filter=Q(cluster__stations__decommissioned_at__isnull=True))
        rows = (self.scoped(ClusterBalancing.objects.filter(network=self.network)).select_related("cluster")
                .annotate(docked_vehicle_count=docked).order_by("balancing_type", "cluster__name", "id"))
        return self.respond_list(rows)

    def post(self, request, network_id):
        services.balancing_create(
            network=self.network, scope=self.scope, cluster_id=self.body["cluster_id"],
            balancing_type=self.body["balancing_type"], target_count=self.body["target_count"])
        return self.respond()

    def put(self, request, network_id):
        services.balancing_update(
            network=self.network, scope=self.scope, cluster_id=self.body["cluster_id"],
            target_count=self.body["target_count"])
        return self.respond()

    def delete(self, request, network_id):
        services.balancing_delete(network=self.network, scope=self.scope, cluster_id=self.query["cluster_id"])
        return self.respond()


class DiscountCollection(NetworkPathView):
    operations = {"GET": "listClusterBalancingDiscounts", "PUT": "updateClusterBalancingDiscount"}
    body_serializers = {"PUT": DiscountBody}
    output_serializers = {"GET": BalancingDiscountOut}

    def get(self, request, network_id):
        discounts = (self.scoped(BalancingDiscount.objects.filter(network=self.network))
                     .select_related("donor__cluster", "receiver__cluster"))
        return self.respond_list(discounts)

    def put(self, request, network_id):
        services.discount_set(
            network=self.network, scope=self.scope, donor_cluster_id=self.body["donor_cluster_id"],
            receiver_cluster_id=self.body["receiver_cluster_id"], discount_amount=self.body["discount_amount"])
        return self.respond()


class BalancingEstimate(NetworkPathView):
    operations = {"GET": "getClusterBalancingEstimate"}
    output_serializers = {"GET": EstimateOut}

    def get(self, request, network_id):
        # Both clusters must be visible: an estimate names the trips between them.
        for field in ("donor_cluster_id", "receiver_cluster_id"):
            self.require_visible(Cluster.objects.filter(network=self.network), self.query[field], field)
        return self.respond_list(balancing_estimate(
            network=self.network, donor_cluster_id=self.query["donor_cluster_id"],
            receiver_cluster_id=self.query["receiver_cluster_id"],
            fastest_percentage=self.query["fastest_trip_percentage"]))
