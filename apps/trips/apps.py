from django.apps import AppConfig


class TripsConfig(AppConfig):
    name = "apps.trips"
    label = "trips"
    verbose_name = "Trips"

    def ready(self):
        from . import signals  # noqa: F401  (connects the day summaries' invalidation)
