"""One telemetry message as a gateway sends it, checked field by field: a bad message is refused with the reason,
the rest of its batch is kept. Plain functions rather than a DRF serializer: a batch of 100 messages is checked in
well under a millisecond, which a serializer per message does not manage (bench/telemetry.py)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone as dt_timezone

MAX_BATCH = 1000
FUTURE_TOLERANCE = timedelta(minutes=5)  # gateways' clocks drift a little
IDENTIFIER = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
ERROR_CODE = re.compile(r"^[A-Za-z0-9_.:\-]{1,32}$")
MAX_ERROR_CODES = 16
FIELDS = {"id", "vehicle", "time", "latitude", "longitude", "battery", "locked", "speed", "odometer", "errors"}
# What each field is, for the OpenAPI document and docs/telemetry.md.
SCHEMA = {
    "type": "object", "required": ["id", "vehicle", "time"], "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": IDENTIFIER.pattern,
               "description": "The message's id at its provider: a message sent again is kept once."},
        "vehicle": {"type": "string", "pattern": IDENTIFIER.pattern,
                    "description": "The device's identifier at this provider (TelemetryDevice.device_id)."},
        "time": {"type": "string", "format": "date-time",
                 "description": "When the vehicle recorded it; within the retention, at most 5 minutes ahead."},
        "latitude": {"type": "number", "nullable": True, "minimum": -90, "maximum": 90},
        "longitude": {"type": "number", "nullable": True, "minimum": -180, "maximum": 180,
                      "description": "Given with latitude, or both left out."},
        "battery": {"type": "integer", "nullable": True, "minimum": 0, "maximum": 100, "description": "Percent."},
        "locked": {"type": "boolean", "nullable": True},
        "speed": {"type": "number", "nullable": True, "minimum": 0, "maximum": 200, "description": "km/h."},
        "odometer": {"type": "integer", "nullable": True, "minimum": 0, "maximum": 10**12, "description": "Meters."},
        "errors": {"type": "array", "maxItems": MAX_ERROR_CODES,
                   "items": {"type": "string", "pattern": ERROR_CODE.pattern}},
    },
}


class MessageRefused(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Message:
    message_id: str
    device_id: str
    recorded_at: datetime
    latitude: float | None
    longitude: float | None
    battery: int | None
    locked: bool | None
    speed: float | None
    odometer: int | None
    error_codes: tuple[str, ...]

    @property
    def has_position(self) -> bool:
        return self.latitude is not None


def _number(raw: dict, name: str, low: float, high: float, *, integer: bool = False):
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
        raise MessageRefused(f"{name}: must be {'an integer' if integer else 'a number'}.")
    if not math.isfinite(value) or not low <= value <= high:
        raise MessageRefused(f"{name}: must be between {low:g} and {high:g}.")
    return value if integer else float(value)


def _identifier(raw: dict, name: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise MessageRefused(f"{name}: required, 1 to 64 letters, digits or _.:- characters.")
    return value


def parse(raw, *, now: datetime, oldest: datetime) -> Message:
    """The message `raw` describes, or MessageRefused saying what is wrong with it."""
    if not isinstance(raw, dict):
        raise MessageRefused("A message is a JSON object.")
    unknown = raw.keys() - FIELDS
    if unknown:
        raise MessageRefused(f"{sorted(unknown)[0]}: unknown field.")
    message_id, device_id = _identifier(raw, "id"), _identifier(raw, "vehicle")
    when = raw.get("time")
    try:
        recorded_at = datetime.fromisoformat(when) if isinstance(when, str) and len(when) <= 40 else None
    except ValueError:
        recorded_at = None
    if recorded_at is None:
        raise MessageRefused("time: required, an ISO 8601 date and time.")
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=dt_timezone.utc)  # a naive time is read in UTC (CONVENTIONS)
    if recorded_at > now + FUTURE_TOLERANCE:
        raise MessageRefused("time: in the future.")
    if recorded_at < oldest:
        raise MessageRefused("time: older than the telemetry's retention.")
    latitude = _number(raw, "latitude", -90, 90)
    longitude = _number(raw, "longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        raise MessageRefused("latitude and longitude: give both or neither.")
    locked = raw.get("locked")
    if locked is not None and not isinstance(locked, bool):
        raise MessageRefused("locked: must be true or false.")
    errors = raw.get("errors") or []
    if (not isinstance(errors, list) or len(errors) > MAX_ERROR_CODES
            or not all(isinstance(code, str) and ERROR_CODE.match(code) for code in errors)):
        raise MessageRefused(f"errors: at most {MAX_ERROR_CODES} codes of 1 to 32 letters, digits or _.:- characters.")
    return Message(message_id=message_id, device_id=device_id, recorded_at=recorded_at.astimezone(dt_timezone.utc),
                   latitude=latitude, longitude=longitude, battery=_number(raw, "battery", 0, 100, integer=True),
                   locked=locked, speed=_number(raw, "speed", 0, 200), odometer=_number(raw, "odometer", 0, 10**12,
                                                                                        integer=True),
                   error_codes=tuple(errors))
