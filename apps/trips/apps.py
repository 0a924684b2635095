from django.apps import AppConfig


class TripsConfig(AppConfig):
    name = "apps.trips"
    label = "trips"
    verbose_name = "Trips"

    def ready(self):
        from apps.core.subqueries import count_of
        from apps.networks.indicators import register_indicator

        from . import signals  # noqa: F401  (connects the day summaries' invalidation)
        from .models import Trip

        register_indicator("trips", lambda scope: count_of(Trip.objects.all(), "network"))
