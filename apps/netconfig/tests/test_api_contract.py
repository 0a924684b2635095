from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.fleet.models import VehicleModel
from apps.fleet.tests.factories import make_vehicle
from apps.netconfig.models import NetworkAccessRule
from apps.networks.tests.factories import make_network

RENT = {"default_vehicle_guarantee": 200, "trip_to_skip_pre_auth_guarantee": 3, "first_purchase_required": True,
        "min_battery_to_rent": 20, "max_simultaneous_rented_vehicle": 2, "trip_on_hold": True,
        "credit_depletion_auto_lock": False, "min_battery_to_auto_lock": 5}
TIMINGS = {"trip_too_long_notifications": 7200, "trip_too_long_notifications_frequency": 1800,
           "vehicle_stolen": 86400, "trip_auto_pause": 600, "trip_max_pause": 3600, "trip_auto_lock": 86000}
SPEEDS = {"default_low_speed": 12, "default_medium_speed": 18, "default_high_speed": 25,
          "min_battery_to_slow_down": 10, "battery_slow_down_speed": 10}
FREEFLOAT = {"freefloat_to_station_discount_per_km": 0.1, "freefloat_to_station_free_credits": 0.5,
             "freefloat_to_receiver_station_free_credits": 1, "freefloat_to_station_min_battery": 30}


def _network():
    return {"network_id": make_network().pk}


def _rule():
    rule = NetworkAccessRule.objects.create(network=make_network(), email_pattern="%@acme.com")
    return {"network_id": rule.network_id, "rid": rule.pk}


def _model():
    return {**_network(), "model_id": VehicleModel.objects.get_or_create(name="E-Bike V3")[0].pk}


CASES = [
    OperationCase("listNetworkAccessRules", lambda: Request(path_params=_rule())),
    OperationCase("createNetworkAccessRule", lambda: Request(path_params=_network(), body={"email_pattern": "%@acme.com"})),
    OperationCase("updateNetworkAccessRule", lambda: Request(path_params=_rule(), body={
        "email_pattern": "%@acme.org", "organization": None, "app_label": None})),
    OperationCase("deleteNetworkAccessRule", lambda: Request(path_params=_rule())),
    OperationCase("updateNetworkSponsorship", lambda: Request(path_params=_network(), body={
        "sponsoring_reward": 5, "sponsored_reward": 2.5})),
    OperationCase("listNetworkVehicleModelSettings", lambda: Request(path_params=_network())),
    OperationCase("listNetworkVehicleModelGuarantees", lambda: Request(path_params=_network())),
    OperationCase("updateNetworkVehicleModelSettings", lambda: Request(path_params=_model(), body={
        "auto_light": "true", "speed_mode": "2"})),
    OperationCase("updateNetworkVehicleModelGuarantees", lambda: Request(path_params=_model(), body={
        "guarantee": "300", "pre_auth": "50"})),
    OperationCase("getNetworkSpeedSettings", lambda: Request(path_params=_network())),
    OperationCase("updateNetworkSpeedSettings", lambda: Request(path_params=_network(), body=SPEEDS)),
    OperationCase("resetNetworkVehicleSettings", lambda: Request(path_params={"network_id": make_vehicle().network_id})),
    OperationCase("getNetworkRentSettings", lambda: Request(path_params=_network())),
    OperationCase("updateNetworkRentSettings", lambda: Request(path_params=_network(), body=RENT)),
    OperationCase("updateNetworkRentTimings", lambda: Request(path_params=_network(), body=TIMINGS)),
    OperationCase("getNetworkFreefloatReward", lambda: Request(path_params=_network())),
    OperationCase("updateNetworkFreefloatReward", lambda: Request(path_params=_network(), body=FREEFLOAT)),
]

globals().update(contract_tests(CASES))
