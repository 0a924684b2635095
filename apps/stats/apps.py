from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "apps.stats"
    label = "stats"
    verbose_name = "Usage statistics"

    def ready(self):
        from . import signals  # noqa: F401  (connects the trip-day invalidation)
