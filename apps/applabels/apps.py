from django.apps import AppConfig


class AppLabelsConfig(AppConfig):
    name = "apps.applabels"
    label = "applabels"
    verbose_name = "App labels"
