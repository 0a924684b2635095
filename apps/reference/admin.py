from django.contrib import admin

from .models import Country, Currency


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "alpha_2", "alpha_3", "numeric"]
    search_fields = ["name", "alpha_2", "alpha_3"]


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "minor_units"]
    search_fields = ["code", "name"]
