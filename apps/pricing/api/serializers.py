from decimal import Decimal

from rest_framework import serializers

from apps.core.api.params import CatalogSerializer, StrictIntegerField
from apps.networks.models import Network

from ..models import PricingRule, format_hod

PRICE_FIELDS = ["unlock_price", "freefloat_lock_price", "use_per_minute_price", "on_hold_price"]
MAX_PRICE = Decimal("99999999.9999")


class PricingOut(serializers.ModelSerializer):
    start_hod = serializers.SerializerMethodField()
    end_hod = serializers.SerializerMethodField()

    class Meta:
        model = PricingRule
        fields = ["id", "network_id", "start_dow", "start_hod", "end_dow", "end_hod", "unlock_price",
                  "unlock_included_time", "freefloat_lock_price", "use_per_minute_price", "on_hold_price", "created_at"]

    def get_start_hod(self, rule) -> str:
        return format_hod(rule.start_hod)

    def get_end_hod(self, rule) -> str:
        return format_hod(rule.end_hod)


class PricingBody(CatalogSerializer):
    # Whole seconds ("number" in the seed); prices keep at most 4 decimals (sub-cent per-minute prices exist).
    unlock_included_time = StrictIntegerField(min_value=0, max_value=7 * 86_400)
    references = {"network_id": Network.objects.all()}

    def validate(self, values):
        for name in PRICE_FIELDS:
            price = values[name]
            if price > MAX_PRICE:
                raise serializers.ValidationError({name: [f"Ensure this value is less than or equal to {MAX_PRICE}."]})
            if price != price.quantize(Decimal("0.0001")):
                raise serializers.ValidationError({name: ["At most 4 decimal places."]})
        return values


class CreatePricingBody(PricingBody):
    operation_id = "createPricing"


class UpdatePricingBody(PricingBody):
    operation_id = "updatePricing"
