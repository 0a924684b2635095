from rest_framework import serializers

from apps.core.api.params import CatalogSerializer, StrictCharField, check_like_pattern
from apps.networks.models import Network
from apps.organizations.models import Organization

from ..models import Discount, DiscountCode


class CodeOut(serializers.ModelSerializer):
    use_count = serializers.IntegerField(help_text="Trips it was applied to.")

    class Meta:
        model = DiscountCode
        fields = ["id", "code", "remaining", "email_access_pattern", "use_count", "created_at"]


class DiscountOut(serializers.ModelSerializer):
    codes = CodeOut(many=True)
    organization_ids = serializers.SerializerMethodField(help_text="Communities allowed; empty: everyone.")
    data = serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=False)

    class Meta:
        model = Discount
        fields = ["id", "network_id", "name", "type", "data", "start_date", "request_end_date", "stop_date",
                  "valid_from_time", "valid_until_time", "cumulative", "organization_ids", "codes", "created_at"]

    def get_organization_ids(self, discount) -> list[int]:
        return [o.pk for o in discount.organizations.all()]


class CouponConditionsBody(serializers.Serializer):
    """Not in the seed: what the mobile API's coupon errors need (see docs/api.md)."""

    valid_from_time = serializers.TimeField(required=False, allow_null=True,
                                            help_text="Trips must start at or after this local time...")
    valid_until_time = serializers.TimeField(required=False, allow_null=True,
                                             help_text="...and before this one (the window may wrap midnight).")
    cumulative = serializers.BooleanField(required=False, help_text="May join a promotion already on the trip.")
    organization_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                             source="organizations", help_text="Only their members may use it.")


class DiscountBody(CouponConditionsBody, CatalogSerializer):
    name = StrictCharField(min_length=1, max_length=255)  # the seed says only "string"
    references = {"organizations": Organization.objects.all()}


class CreateDiscountBody(DiscountBody):
    operation_id = "createDiscount"
    references = {"organizations": Organization.objects.all(), "network_id": Network.objects.all()}


class UpdateDiscountBody(DiscountBody):
    operation_id = "updateDiscount"
    name = StrictCharField(min_length=1, max_length=255, required=False)


class CodeBody(CatalogSerializer):
    def validate_email_access_pattern(self, pattern):
        return check_like_pattern(pattern)


class CreateCodeBody(CodeBody):
    operation_id = "createDiscountCode"


class UpdateCodeBody(CodeBody):
    operation_id = "updateDiscountCode"
