from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Access log"

    def ready(self):
        # models and signals load once the app registry is ready.
        from .history import register_history

        register_history()
