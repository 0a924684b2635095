from django.apps import AppConfig


class TelemetryConfig(AppConfig):
    name = "apps.telemetry"
    label = "telemetry"
    verbose_name = "Vehicle telemetry"

    def ready(self):
        # Imported here: models (and what imports them) load once the app registry is ready.
        from apps.trips.routes import register_route_source

        from .selectors import vehicle_positions

        register_route_source(vehicle_positions)  # trips' routes and distances come from the vehicles' messages
