from datetime import timedelta

from django.utils import timezone

from apps.core.testing.contract import OperationCase, Request, contract_tests

from .factories import fitted_vehicle, make_provider, message, report


def _reported_vehicle():
    provider, token = make_provider()
    vehicle = fitted_vehicle(provider)
    report(token, message(vehicle, seconds_ago=60, battery=70), message(vehicle, seconds_ago=30, battery=69))
    now = timezone.now()
    return Request(query={"vehicle_id": vehicle.pk, "from": (now - timedelta(hours=1)).isoformat(),
                          "to": now.isoformat()})


CASES = [
    OperationCase("listVehicleTelemetry", _reported_vehicle),
]

globals().update(contract_tests(CASES))
