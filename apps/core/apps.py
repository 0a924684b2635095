from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self):
        from . import columns, dbtypes

        columns.connect()
        dbtypes.connect()
