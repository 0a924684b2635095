from django.apps import AppConfig


class FleetConfig(AppConfig):
    name = "apps.fleet"
    label = "fleet"
    verbose_name = "Fleet"

    def ready(self):
        # Imported here: models (and what imports them) load once the app registry is ready.
        from apps.core.subqueries import count_of
        from apps.networks.indicators import register_indicator

        from .models import Station, Vehicle

        # listNetworks' indicators (the seed: "total stations, vehicles and trips"): the ones in service.
        register_indicator("stations", lambda scope: count_of(
            Station.objects.within(scope).filter(decommissioned_at__isnull=True), "cluster__network"))
        register_indicator("vehicles", lambda scope: count_of(
            Vehicle.objects.filter(decommissioned_at__isnull=True), "network"))
