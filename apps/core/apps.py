from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self):
        # models and signals load once the app registry is ready.
        from . import columns, dbtypes

        columns.connect()
        dbtypes.connect()
