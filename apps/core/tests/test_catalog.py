from decimal import Decimal

import pytest

from apps.core.enums import CURRENCIES

from apps.core.catalog import dashboard_operations, mobile_operations

from .seed_catalog import parse_type, seed_operations


def test_catalog_has_every_operation_once():
    operations = dashboard_operations()
    seed = [o for o in operations if o in seed_operations()]
    assert len(seed) == 295  # the contract's, and the product's own (docs/api.md, "Extensions of the contract")
    assert {"listVehicleTelemetry", "listVehicleCommands", "sendVehicleCommand", "setVehicleMaxSpeed"} <= set(operations)
    assert len({(o.method, o.path) for o in operations.values()}) == len(operations)
    mobile = mobile_operations()
    # The seed's three, and the riders' app operations declared in Python (apps.core.catalog.declare).
    assert {"applyTripCoupon", "listTripAdditionalCosts", "getTripHistory"} <= set(mobile)
    assert {"startTrip", "getRiderTrip", "pauseTrip", "resumeTrip", "endTrip"} <= set(mobile)
    assert len({(o.method, o.path) for o in mobile.values()}) == len(mobile)


@pytest.mark.parametrize(
    "type_string, doc, expected",
    [
        ("integer [ 10 .. 500 ]", "Default: 20 The maximum", dict(kind="integer", minimum=10, maximum=500, default=20)),
        ("string or null <email> <= 255 characters", "", dict(kind="string", nullable=True, fmt="email", max_length=255)),
        ("string = 2 characters", "", dict(min_length=2, max_length=2)),
        ("string/^[a-z]{1,20}$/", "", dict(pattern="^[a-z]{1,20}$")),
        ("string", 'Default: "DESC" Enum: "ASC" "DESC" Sort', dict(enum=("ASC", "DESC"), default="DESC")),
        ("string (Currency)", "Enum: <167 values: AED ... ZWL>", dict(enum=CURRENCIES)),
        ("number [ 0 .. 1 ]", "", dict(kind="number", minimum=Decimal(0), maximum=Decimal(1))),
        ("integer", "Enum: 0 1 2 The zoom level", dict(enum=(0, 1, 2))),
        ("string pattern ^((([0-1]?\\d|2[0-3]):[0-5]\\d:[0-5]\\d)|24:00:0...", "",
         dict(pattern="^((([0-1]?\\d|2[0-3]):[0-5]\\d:[0-5]\\d)|24:00:00)$")),
    ],
)
def test_type_strings_parse_into_constraints(type_string, doc, expected):
    constraint = parse_type(type_string, doc)
    for name, value in expected.items():
        assert getattr(constraint, name) == value, name


def test_arrays_parse_items_and_counts():
    c = parse_type("Array of integers non-empty [ items >= 1 ]")
    assert (c.kind, c.min_items, c.items.kind, c.items.minimum) == ("array", 1, "integer", 1)
    c = parse_type("Array of strings (Permission) unique", "Items Enum: <36 values: networks.manage ... app.label>")
    assert c.unique and len(c.items.enum) == 36
    assert parse_type("Array of numbers >= 3 items [ items = 2 items [ items [ -180 .. 180 ] ] ]").opaque_items


def test_every_catalog_parameter_parses():
    for operation in dashboard_operations().values():
        for param in operation.params:
            assert param.constraint.kind in {"integer", "number", "boolean", "string", "array", "object"}, param
