from decimal import Decimal

from rest_framework import serializers

from apps.core.api.outputs import IdNameOut
from apps.core.api.params import NUMBER_LIMIT, CatalogSerializer, NumberField, StrictIntegerField

from ..models import BalancingDiscount, ClusterBalancing


class BalancingOut(serializers.ModelSerializer):
    cluster = IdNameOut()
    docked_vehicle_count = serializers.IntegerField(help_text="Vehicles docked at the cluster now.")

    class Meta:
        model = ClusterBalancing
        fields = ["cluster", "balancing_type", "target_count", "docked_vehicle_count", "updated_at"]


class BalancingDiscountOut(serializers.ModelSerializer):
    donor_cluster = IdNameOut(source="donor.cluster")
    receiver_cluster = IdNameOut(source="receiver.cluster")
    discount_amount = serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=False)

    class Meta:
        model = BalancingDiscount
        fields = ["donor_cluster", "receiver_cluster", "discount_amount", "updated_at"]


class EstimateOut(serializers.Serializer):
    model = IdNameOut()
    trip_count = serializers.IntegerField(help_text="Finished trips on the route with this model.")
    sample_size = serializers.IntegerField(help_text="The fastest ones averaged.")
    average_duration = serializers.IntegerField(help_text="Seconds.")


class BalancingCountBody(serializers.Serializer):
    # The seed types target_count as a bare integer; a number of vehicles is never negative.
    target_count = StrictIntegerField(min_value=0, max_value=10_000)


class CreateBalancingBody(BalancingCountBody, CatalogSerializer):
    operation_id = "createClusterBalancing"


class UpdateBalancingBody(BalancingCountBody, CatalogSerializer):
    operation_id = "updateClusterBalancing"


class DiscountBody(CatalogSerializer):
    operation_id = "updateClusterBalancingDiscount"
    # The seed says only "number": a discount is not negative (stated here, so the schema says it too).
    discount_amount = NumberField(strict=True, min_value=Decimal(0), max_value=NUMBER_LIMIT)
