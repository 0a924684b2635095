from django.apps import AppConfig


class StocksConfig(AppConfig):
    name = "apps.stocks"
    label = "stocks"
    verbose_name = "Stocks"
