from apps.core.exceptions import ValidationFailed
from apps.core.api.views import OperationView
from apps.networks.models import Network

from .. import services
from ..models import Stock
from ..selectors import stock_rows, stocked_vehicles
from .serializers import CreateStockBody, StockedVehicleOut, StockOut, StockShapeBody, StockVehiclesQuery


class StockCollection(OperationView):
    operations = {"GET": "listStocks", "POST": "createStock"}
    body_serializers = {"POST": CreateStockBody}
    output_serializers = {"GET": StockOut, "POST": StockOut}
    queryset = Stock.objects.all()

    def get(self, request):
        return self.respond_list(stock_rows(stocks=self.get_network_queryset()).order_by("network_id", "name", "id"))

    def post(self, request):
        values = dict(self.body)
        network = values.pop("network_id", None) or self._only_network()
        stock = self.check_in_scope(services.stock_create(network=network, **values))
        return self.respond_object(stock_rows(stocks=Stock.objects.filter(pk=stock.pk)).get())

    def _only_network(self) -> Network:
        """Without `network_id`, the stock goes to the one network whose stocks the caller manages."""
        scope = self.scope
        if not scope.everything and len(scope.networks) == 1:
            return Network.objects.get(pk=next(iter(scope.networks)))
        raise ValidationFailed.on("network_id", "Say which network the stock serves: you manage stocks of several.")


class StockDetail(OperationView):
    operations = {"DELETE": "deleteStock"}
    queryset = Stock.objects.all()

    def delete(self, request, id):
        services.stock_delete(stock=self.get_object())
        return self.respond()


class StockVehicleList(OperationView):
    operations = {"GET": "listStockVehicles"}
    query_serializers = {"GET": StockVehiclesQuery}
    output_serializers = {"GET": StockedVehicleOut}

    def get(self, request):
        return self.respond_list(stocked_vehicles(stocks=self.query["stocks"]))


class StockShape(OperationView):
    operations = {"PUT": "updateStockShape"}
    body_serializers = {"PUT": StockShapeBody}

    def put(self, request):
        services.stock_set_auto_area(stock=self.body["stock_id"], shape=self.body["shape"])
        return self.respond()
