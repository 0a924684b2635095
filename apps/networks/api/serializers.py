from django.utils import timezone
from rest_framework import serializers

from apps.applabels.models import AppLabel
from apps.core.api.outputs import IdNameOut
from apps.core.api.params import CatalogSerializer
from apps.core.api.references import ReferenceField
from apps.reference.models import Country, Currency

from ..indicators import indicator_names
from ..models import Network, OutOfOrder, ThirdParty
from ..selectors import out_of_order_type_labels


class CreateNetworkBody(CatalogSerializer):
    operation_id = "createNetwork"
    location = "body"
    country_id = ReferenceField(queryset=Country.objects.all(), source="country")
    third_party_id = ReferenceField(queryset=ThirdParty.objects.all(), source="third_party", required=False)
    app_label_id = ReferenceField(queryset=AppLabel.objects.all(), source="app_label")

    def validate_currency(self, value):
        return Currency.objects.get(code=value)


class CreateThirdPartyBody(CatalogSerializer):
    operation_id = "createThirdParty"
    location = "body"
    country_id = ReferenceField(queryset=Country.objects.all(), source="country")


class ThirdPartyOut(serializers.ModelSerializer):
    country_id = serializers.IntegerField()
    country_code = serializers.CharField(source="country.alpha_2")

    class Meta:
        model = ThirdParty
        fields = ["id", "name", "address", "zipcode", "city", "country_id", "country_code", "erp_id", "created_at"]


class ErpThirdPartyOut(serializers.Serializer):
    erp_id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    zipcode = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")


class NetworkOut(serializers.ModelSerializer):
    currency = serializers.CharField(source="currency_id")
    country_id = serializers.IntegerField()
    app_label_id = serializers.IntegerField()
    third_party_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Network
        fields = ["id", "name", "currency", "timezone", "country_id", "app_label_id", "third_party_id", "default_vat",
                  "default_vehicle_guarantee", "trip_to_skip_pre_auth_guarantee", "created_at", "closed_at"]


class NetworkWithIndicatorsOut(NetworkOut):
    owner = IdNameOut(source="third_party", allow_null=True, read_only=True)
    indicators = serializers.SerializerMethodField()

    class Meta(NetworkOut.Meta):
        fields = NetworkOut.Meta.fields + ["owner", "indicators"]

    def get_indicators(self, network) -> dict:
        return {name: getattr(network, f"indicator_{name}", None) for name in indicator_names()}


class NetworkShortOut(serializers.ModelSerializer):
    currency = serializers.CharField(source="currency_id")

    class Meta:
        model = Network
        fields = ["id", "name", "currency", "timezone"]


class OutOfOrderOut(serializers.ModelSerializer):
    type_label = serializers.SerializerMethodField(help_text="The type in the requested `lang`.")
    active = serializers.SerializerMethodField(help_text="Whether the service is suspended right now.")

    class Meta:
        model = OutOfOrder
        fields = ["id", "network_id", "type", "type_label", "reason", "start_date", "end_date", "active",
                  "created_by_id", "created_at"]

    def get_type_label(self, out_of_order) -> str:
        labels = getattr(self.context.get("view"), "labels", None) or out_of_order_type_labels(lang="en")
        return labels[out_of_order.type]

    def get_active(self, out_of_order) -> bool:
        return out_of_order.is_active(timezone.now())
