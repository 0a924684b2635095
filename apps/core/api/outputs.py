"""Small output shapes shared by every app's responses."""
from rest_framework import serializers


class IdNameOut(serializers.Serializer):
    """How a response names a related row: `{id, name}`."""

    id = serializers.IntegerField()
    name = serializers.CharField()
