from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "apps.commerce"
    label = "commerce"
    verbose_name = "Commerce"

    def ready(self):
        # Registers what a charge for an offer or a subscription's period settles with
        # (apps.payments.attempts.on_charge_settled), in every process: the web's, and the worker's that reconciles.
        from . import services, subscriptions  # noqa: F401
