from django.apps import AppConfig


class GeofencingConfig(AppConfig):
    name = "apps.geofencing"
    label = "geofencing"
    verbose_name = "Geofencing"
