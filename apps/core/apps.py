from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self):
        # Imported here: models (and what imports them) load once the app registry is ready.
        from . import columns, dbtypes

        columns.connect()
        dbtypes.connect()
