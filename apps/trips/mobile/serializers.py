"""The seed's PascalCase shapes. Dates are ISO 8601 in UTC."""
import uuid

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..lifecycle import rider_share
from ..models import PaymentStatus, TripState

# Status of a trip in the mobile API (TripStatus): the seed's example shows 1 for a completed trip.
TRIP_STATUS = {TripState.RUNNING: 0, TripState.FINISHED: 1, TripState.ON_HOLD: 2, TripState.CANCELLED: 3}
# Stable guids for rows that have integer ids (users, networks), derived so they never change.
GUID_NAMESPACE = uuid.UUID("6c1e5a3e-7f38-4c43-9a86-0c2b7f1a9d10")


def derived_guid(kind: str, pk: int) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{pk}"))


def _location(cluster) -> str:
    return cluster.name if cluster is not None else ""


def _label(labels, request) -> str:
    lang = (request.headers.get("Accept-Language", "en")[:2] or "en").lower() if request else "en"
    return (labels or {}).get(lang) or (labels or {}).get("en") or ""


class AdditionalCostOut(serializers.Serializer):
    ID = serializers.IntegerField(source="id")
    CreatedDate = serializers.DateTimeField(source="created_at")
    LastUpdated = serializers.DateTimeField(source="updated_at")
    Amount = serializers.DecimalField(source="amount", max_digits=14, decimal_places=4, coerce_to_string=False)
    Notes = serializers.CharField(source="notes", allow_null=True)
    TripGuid = serializers.UUIDField(source="trip.guid")
    StartLocationName = serializers.SerializerMethodField()
    StartTimestamp = serializers.DateTimeField(source="trip.started_at")
    EndLocationName = serializers.SerializerMethodField()
    EndTimestamp = serializers.DateTimeField(source="trip.ended_at", allow_null=True)
    TypeID = serializers.IntegerField(source="type_id")
    CostType = serializers.IntegerField(source="type.cost_type", help_text="AdditionalCostTypes (docs/api.md).")
    Labels = serializers.SerializerMethodField()

    def get_StartLocationName(self, cost) -> str:
        return _location(cost.trip.start_cluster)

    def get_EndLocationName(self, cost) -> str:
        return _location(cost.trip.end_cluster)

    def get_Labels(self, cost) -> str:
        return _label(cost.type.labels, self.context.get("request")) or cost.type.key


class DetailOut(serializers.Serializer):
    Guid = serializers.UUIDField(source="guid")
    Deletiondate = serializers.DateTimeField(source="deleted_at", allow_null=True)
    OriginatorKey = serializers.CharField(source="originator_key")
    Labels = serializers.JSONField(source="labels", allow_null=True)
    ValueLabels = serializers.JSONField(source="value_labels", allow_null=True)
    Value = serializers.CharField(source="value")
    ValueType = serializers.IntegerField(source="value_type")


class EventOut(serializers.Serializer):
    Guid = serializers.UUIDField(source="guid")
    Timestamp = serializers.DateTimeField(source="timestamp")
    Latitude = serializers.FloatField(source="latitude", allow_null=True)
    Longitude = serializers.FloatField(source="longitude", allow_null=True)
    Source = serializers.IntegerField(source="source")
    Type = serializers.IntegerField(source="type")
    AdditionalData = serializers.JSONField(source="additional_data", allow_null=True)
    OriginatorKey = serializers.UUIDField(source="originator_key", allow_null=True)


class HistoryTripOut(serializers.Serializer):
    Guid = serializers.UUIDField(source="guid")
    MovementAuthority = serializers.SerializerMethodField(help_text="The network's derived guid.")
    DeletionDate = serializers.SerializerMethodField()
    IsCompleted = serializers.SerializerMethodField()
    Status = serializers.SerializerMethodField()
    Index = serializers.IntegerField(source="history_index")
    StartLocationName = serializers.SerializerMethodField()
    StartLocationLatitude = serializers.FloatField(source="start_latitude", allow_null=True)
    StartLocationLongitude = serializers.FloatField(source="start_longitude", allow_null=True)
    StartTimestamp = serializers.DateTimeField(source="started_at")
    EndLocationName = serializers.SerializerMethodField()
    EndTimestamp = serializers.DateTimeField(source="ended_at", allow_null=True)
    EndLocationLatitude = serializers.FloatField(source="end_latitude", allow_null=True)
    EndLocationLongitude = serializers.FloatField(source="end_longitude", allow_null=True)
    Details = DetailOut(source="details.all", many=True)
    Events = EventOut(source="events.all", many=True)
    UserId = serializers.SerializerMethodField()
    EquipmentReference = serializers.CharField(source="vehicle.serial_number", allow_null=True)
    ServiceReference = serializers.CharField(source="vehicle.model.name", allow_null=True)
    ActualDurationSeconds = serializers.IntegerField(source="running_duration")
    ActualMileageKm = serializers.SerializerMethodField()
    Duration = serializers.IntegerField(source="duration")
    TotalTripCost = serializers.DecimalField(source="amount", max_digits=14, decimal_places=4, coerce_to_string=False)
    TotalAdditionalCost = serializers.DecimalField(source="total_additional_cost", max_digits=14, decimal_places=4,
                                                   coerce_to_string=False)
    IsPaid = serializers.SerializerMethodField()
    CouponCode = serializers.SerializerMethodField()

    def get_MovementAuthority(self, trip) -> str:
        return derived_guid("network", trip.network_id)

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_DeletionDate(self, trip):
        return None  # a completed trip of the history is never deleted

    def get_IsCompleted(self, trip) -> bool:
        return True  # the seed: always true here

    def get_Status(self, trip) -> int:
        return TRIP_STATUS[trip.state]

    def get_StartLocationName(self, trip) -> str:
        return _location(trip.start_cluster)

    def get_EndLocationName(self, trip) -> str:
        return _location(trip.end_cluster)

    def get_UserId(self, trip) -> str:
        return derived_guid("user", trip.rider_id)

    def get_ActualMileageKm(self, trip) -> int:
        return trip.distance // 1000

    def get_IsPaid(self, trip) -> bool:
        return trip.payment_status in (PaymentStatus.PAID, PaymentStatus.NOT_TO_PAY)

    def get_CouponCode(self, trip) -> str | None:
        use = getattr(trip, "coupon_use", None)
        return use.code.code if use else None


class TripHistoryOut(serializers.Serializer):
    Trips = HistoryTripOut(many=True)


class AdditionalCostPageOut(serializers.Serializer):
    Items = AdditionalCostOut(many=True)
    PageIndex = serializers.IntegerField()
    PageSize = serializers.IntegerField()
    TotalCount = serializers.IntegerField()


class RiderTripOut(serializers.Serializer):
    """A trip as the rider's app follows it, from the start to the receipt."""

    Guid = serializers.UUIDField(source="guid")
    State = serializers.CharField(source="state", help_text="running, on-hold, finished or cancelled.")
    VehicleCode = serializers.CharField(source="vehicle.serial_number")
    NetworkId = serializers.IntegerField(source="network_id")
    StartDate = serializers.DateTimeField(source="started_at")
    EndDate = serializers.DateTimeField(source="ended_at", allow_null=True)
    Duration = serializers.IntegerField(source="duration", help_text="Seconds, once ended.")
    Amount = serializers.SerializerMethodField(help_text="The trip's cost under the network's pricing.")
    DiscountAmount = serializers.SerializerMethodField()
    OrganizationAmount = serializers.SerializerMethodField()
    AmountDue = serializers.SerializerMethodField(help_text="What the rider pays: the cost less the rest.")
    Currency = serializers.CharField(source="network.currency_id")
    PaymentMode = serializers.CharField(source="payment_mode")
    PaymentStatus = serializers.CharField(source="payment_status", help_text="pending, paid, not-to-pay, failed.")

    def _money(self, trip, value) -> str:
        return str(trip.network.currency.quantize(value))

    def get_Amount(self, trip) -> str:
        return self._money(trip, trip.amount)

    def get_DiscountAmount(self, trip) -> str:
        return self._money(trip, trip.discount_amount)

    def get_OrganizationAmount(self, trip) -> str:
        return self._money(trip, trip.organization_amount)

    def get_AmountDue(self, trip) -> str:
        return self._money(trip, rider_share(trip))


class NearbyVehicleOut(serializers.Serializer):
    VehicleCode = serializers.CharField(source="serial_number")
    NetworkId = serializers.IntegerField(source="network_id")
    Model = serializers.CharField(source="model.name")
    Latitude = serializers.DecimalField(source="latitude", max_digits=9, decimal_places=6, coerce_to_string=False)
    Longitude = serializers.DecimalField(source="longitude", max_digits=9, decimal_places=6, coerce_to_string=False)
    Battery = serializers.IntegerField(source="battery_level", allow_null=True, help_text="Percent.")
    RangeKm = serializers.SerializerMethodField(help_text="What the battery left gives, from the model's range.")
    DistanceMeters = serializers.SerializerMethodField()

    def get_RangeKm(self, vehicle) -> float | None:
        full = getattr(vehicle.model, "max_range_meters", None)
        if not full or vehicle.battery_level is None:
            return None
        return round(full * vehicle.battery_level / 100 / 1000, 1)

    def get_DistanceMeters(self, vehicle) -> int:
        return round(vehicle.distance_m)


class ReservationOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    VehicleCode = serializers.CharField(source="vehicle.serial_number")
    NetworkId = serializers.IntegerField(source="network_id")
    CreatedAt = serializers.DateTimeField(source="created_at")
    ExpiresAt = serializers.DateTimeField(source="expires_at")
    Status = serializers.SerializerMethodField(help_text="active, started, cancelled or expired.")
    TripGuid = serializers.UUIDField(source="trip.guid", allow_null=True, default=None)

    def get_Status(self, reservation) -> str:
        return reservation.status(timezone.now())
