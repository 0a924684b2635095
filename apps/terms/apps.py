from django.apps import AppConfig


class TermsConfig(AppConfig):
    name = "apps.terms"
    label = "terms"
    verbose_name = "Terms of use"
