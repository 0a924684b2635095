from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Access log"

    def ready(self):
        # Imported here: models (and what imports them) load once the app registry is ready.
        from .history import register_history

        register_history()
