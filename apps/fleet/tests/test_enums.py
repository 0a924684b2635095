"""Model choices say the same as the catalog's enumerations, so a value the API accepts can be stored."""
import pytest

from apps.core.catalog import get_operation
from apps.fleet.models import ExternalLock, FleetAlert, MaintenanceType, VehicleDecommission
from apps.trips.models import TripState


def catalog_enum(operation_id, name):
    param = next(p for p in get_operation(operation_id).params if p.name == name)
    constraint = param.constraint.items if param.constraint.kind == "array" else param.constraint
    return set(constraint.enum)


@pytest.mark.parametrize("choices, operation_id, name", [
    (FleetAlert.Type, "listFleetAlertsHistory", "alert_type"),
    (FleetAlert.Severity, "listFleetAlertsHistory", "alert_severity"),
    (MaintenanceType.Target, "createMaintenanceType", "target_type"),
    (MaintenanceType.Severity, "createMaintenanceType", "severity"),
    (ExternalLock.Type, "registerExternalLock", "type"),
    (VehicleDecommission.Reason, "decommissionVehicle", "reason"),
    (TripState, "listTrips", "state"),
])
def test_model_choices_match_the_catalog(choices, operation_id, name):
    assert set(choices.values) == catalog_enum(operation_id, name)
