from rest_framework import serializers


class VehicleRefOut(serializers.Serializer):
    """How other responses (trips, stations) name a vehicle."""

    id = serializers.IntegerField()
    serial_number = serializers.CharField()
    model_name = serializers.CharField(source="model.name")
