from decimal import Decimal

from apps.fleet.models import Cluster

from .models import BalancingDiscount, ClusterBalancing


def seed(ctx):
    """Two donor and two receiver clusters per network, with discounts on every donor -> receiver route."""
    for network in ctx.made["networks"].values():
        if ClusterBalancing.objects.filter(network=network).exists():
            continue
        clusters = list(Cluster.objects.filter(network=network).order_by("id")[:4])
        if len(clusters) < 4:
            continue
        donors = [ClusterBalancing.objects.create(cluster=c, network=network, balancing_type="donor", target_count=4)
                  for c in clusters[:2]]
        receivers = [ClusterBalancing.objects.create(cluster=c, network=network, balancing_type="receiver",
                                                     target_count=8) for c in clusters[2:]]
        BalancingDiscount.objects.bulk_create(
            BalancingDiscount(network=network, donor=d, receiver=r, discount_amount=Decimal("0.50"))
            for d in donors for r in receivers)
    ctx.log(f"balancing: {ClusterBalancing.objects.count()} clusters, {BalancingDiscount.objects.count()} routes")
