from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "apps.access"
    label = "access"
    verbose_name = "Access control"

    def ready(self):
        from apps.core.permissions import register_grant_source

        from .grants import dated_grants, object_grants

        register_grant_source(dated_grants)
        register_grant_source(object_grants)
