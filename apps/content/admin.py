from django.contrib import admin

from apps.core.admin import ScopedModelAdmin

from .models import Language, Localization


@admin.register(Language)
class LanguageAdmin(ScopedModelAdmin):
    permission_key = "app.label"
    list_display = ["iso_639_1", "name"]
    search_fields = ["iso_639_1", "name"]


@admin.register(Localization)
class LocalizationAdmin(ScopedModelAdmin):
    permission_key = "app.label"
    list_display = ["key", "language", "value", "updated_at"]
    list_filter = ["language"]
    search_fields = ["key", "value"]
