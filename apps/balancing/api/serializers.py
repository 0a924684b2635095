from rest_framework import serializers

from apps.core.api.outputs import IdNameOut
from apps.core.api.params import CatalogSerializer, StrictIntegerField

from ..models import BalancingDiscount, ClusterBalancing


class BalancingOut(serializers.ModelSerializer):
    cluster = IdNameOut()
    docked_vehicle_count = serializers.IntegerField(help_text="Vehicles docked at the cluster now.")

    class Meta:
        model = ClusterBalancing
        fields = ["cluster", "balancing_type", "target_count", "docked_vehicle_count", "updated_at"]


class DiscountOut(serializers.ModelSerializer):
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

    def validate_discount_amount(self, amount):
        if amount < 0:
            raise serializers.ValidationError("A discount is not negative.")
        if amount > 99_999_999:
            raise serializers.ValidationError("Ensure this value is less than or equal to 99999999.")
        return amount
