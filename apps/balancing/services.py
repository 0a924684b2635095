"""Writes of the balancing. Every service takes the caller's write `scope`: a grant limited to some clusters of
the network changes the balancing of those clusters only; other clusters answer like unknown ones."""
from __future__ import annotations

from django.db import transaction

from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed
from apps.core.permissions import Scope
from apps.fleet.models import Cluster

from .models import BalancingDiscount, ClusterBalancing


def _cluster_of(network, cluster_id: int, field: str, scope: Scope) -> Cluster:
    cluster = Cluster.objects.within(scope).filter(pk=cluster_id, network=network).first()
    if cluster is None:
        raise ValidationFailed.on(field, f"No cluster with id {cluster_id} in this network.")
    return cluster


def balancing_of(*, network, cluster_id: int, scope: Scope) -> ClusterBalancing:
    balancing = (ClusterBalancing.objects.within(scope).filter(network=network, cluster_id=cluster_id)
                 .select_related("cluster").first())
    if balancing is None:
        raise NotFound(f"Cluster {cluster_id} is not in this network's balancing.")
    return balancing


@transaction.atomic
def balancing_create(*, network, scope: Scope, cluster_id: int, target_count: int,
                     balancing_type: str) -> ClusterBalancing:
    cluster = Cluster.objects.within(scope).select_for_update().filter(pk=cluster_id, network=network).first()
    if cluster is None:
        raise ValidationFailed.on("cluster_id", f"No cluster with id {cluster_id} in this network.")
    if cluster.decommissioned_at is not None:
        raise BusinessRuleViolation("cluster.decommissioned", "This cluster is decommissioned.")
    if ClusterBalancing.objects.filter(cluster=cluster).exists():
        raise BusinessRuleViolation("balancing.already_set", "This cluster is already in the balancing; update it.")
    return ClusterBalancing.objects.create(cluster=cluster, network=network, balancing_type=balancing_type,
                                           target_count=target_count)


def balancing_update(*, network, scope: Scope, cluster_id: int, target_count: int) -> ClusterBalancing:
    balancing = balancing_of(network=network, cluster_id=cluster_id, scope=scope)
    balancing.target_count = target_count
    balancing.save(update_fields=["target_count", "updated_at"])
    return balancing


def balancing_delete(*, network, scope: Scope, cluster_id: int) -> None:
    balancing_of(network=network, cluster_id=cluster_id, scope=scope).delete()  # its discounts go with it


@transaction.atomic
def discount_set(*, network, scope: Scope, donor_cluster_id: int, receiver_cluster_id: int,
                 discount_amount) -> BalancingDiscount:
    """Set the discount of a donor -> receiver route (created on first use); the caller must hold both clusters."""
    balancings = ClusterBalancing.objects.within(scope).filter(network=network)
    donor = balancings.filter(cluster_id=donor_cluster_id).first()
    receiver = balancings.filter(cluster_id=receiver_cluster_id).first()
    if donor is None:
        _cluster_of(network, donor_cluster_id, "donor_cluster_id", scope)
    if receiver is None:
        _cluster_of(network, receiver_cluster_id, "receiver_cluster_id", scope)
    if donor is None or donor.balancing_type != ClusterBalancing.Type.DONOR:
        raise BusinessRuleViolation("balancing.not_donor", "The trip must start at a donor cluster.")
    if receiver is None or receiver.balancing_type != ClusterBalancing.Type.RECEIVER:
        raise BusinessRuleViolation("balancing.not_receiver", "The trip must end at a receiver cluster.")
    amount = network.currency.quantize(discount_amount)
    return BalancingDiscount.objects.update_or_create(network=network, donor=donor, receiver=receiver,
                                                      defaults={"discount_amount": amount})[0]
