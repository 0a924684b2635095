from django.apps import AppConfig


class RidersConfig(AppConfig):
    name = "apps.riders"
    label = "riders"
    verbose_name = "Riders"

    def ready(self):
        from . import signals  # noqa: F401  (a trip makes its rider a member of the network)
