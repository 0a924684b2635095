from datetime import timedelta

from django.utils import timezone

from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.fleet.commands import command_request

from .factories import fitted_vehicle, make_provider, message, report


def _reported_vehicle():
    provider, token = make_provider()
    vehicle = fitted_vehicle(provider)
    report(token, message(vehicle, seconds_ago=60, battery=70), message(vehicle, seconds_ago=30, battery=69))
    now = timezone.now()
    return Request(query={"vehicle_id": vehicle.pk, "from": (now - timedelta(hours=1)).isoformat(),
                          "to": now.isoformat()})


def _commanded_vehicle():
    provider, _ = make_provider()
    vehicle = fitted_vehicle(provider)
    command_request(vehicle=vehicle, command="ring", source="staff", deliver=False)
    return Request(query={"vehicle_id": vehicle.pk})


def _vehicle_id():
    provider, _ = make_provider()
    return {"id": fitted_vehicle(provider).pk}


CASES = [
    OperationCase("listVehicleTelemetry", _reported_vehicle),
    OperationCase("listVehicleCommands", _commanded_vehicle),
    OperationCase("sendVehicleCommand", lambda: Request(path_params=_vehicle_id(), body={"command": "ring"})),
    OperationCase("setVehicleMaxSpeed", lambda: Request(path_params=_vehicle_id(), body={"max_speed": 20})),
]

globals().update(contract_tests(CASES))
