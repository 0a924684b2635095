from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "apps.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        # Imported here: models (and what imports them) load once the app registry is ready.
        from apps.riders.selectors import register_action_source

        from . import immutability, signals  # noqa: F401  (money records refused as -6; stored income hours exact)
        from .selectors import payments_of

        register_action_source(source=payments_of)  # a rider's last actions (listUserLastActions) include its payments
