from django.apps import AppConfig


class NetconfigConfig(AppConfig):
    name = "apps.netconfig"
    label = "netconfig"
    verbose_name = "Network settings"
