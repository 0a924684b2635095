from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Access log"

    def ready(self):
        from .history import register_history

        register_history()
