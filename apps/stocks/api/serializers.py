from rest_framework import serializers

from apps.core.api.params import BIGINT_MAX, CatalogSerializer, StrictIntegerField
from apps.core.geo import ShapeField, ShapeOut
from apps.networks.models import Network
from apps.reference.models import Country

from ..models import Stock


class StockOut(serializers.ModelSerializer):
    country = serializers.CharField(source="country.alpha_2", help_text="ISO 3166-1 alpha-2.")
    country_id = serializers.IntegerField()
    vehicle_count = serializers.IntegerField(help_text="Vehicles stored in the stock.")
    auto_area = serializers.SerializerMethodField(help_text="The auto-stock area, if one is set.")

    class Meta:
        model = Stock
        fields = ["id", "network_id", "name", "country", "country_id", "city", "zipcode", "street", "vehicle_count",
                  "auto_area", "created_at"]

    def get_auto_area(self, stock) -> dict | None:
        area = getattr(stock, "auto_area", None)
        return ShapeOut(area).data if area is not None else None


class StockedVehicleOut(serializers.Serializer):
    id = serializers.IntegerField(source="vehicle.id")
    serial_number = serializers.CharField(source="vehicle.serial_number")
    model_name = serializers.CharField(source="vehicle.model.name")
    network_id = serializers.IntegerField(source="vehicle.network_id")
    battery_level = serializers.IntegerField(source="vehicle.battery_level", allow_null=True)
    stock_id = serializers.IntegerField()
    entered_at = serializers.DateTimeField()
    automatic = serializers.BooleanField()


class CreateStockBody(CatalogSerializer):
    operation_id = "createStock"
    # Not in the seed: the network the stock serves. Optional when the caller manages stocks of one network.
    network_id = StrictIntegerField(min_value=1, max_value=BIGINT_MAX, required=False,
                                    help_text="The stock's network; required when you manage stocks in several.")
    references = {"country": Country.objects.all(), "network_id": Network.objects.all()}


class StockVehiclesQuery(CatalogSerializer):
    operation_id = "listStockVehicles"
    location = "query"
    references = {"stocks": Stock.objects.all()}


class StockShapeBody(CatalogSerializer):
    operation_id = "updateStockShape"
    shape = ShapeField()
    stock_id = StrictIntegerField(min_value=1, max_value=BIGINT_MAX)  # "number" in the seed, but an id is whole
    references = {"stock_id": Stock.objects.all()}
