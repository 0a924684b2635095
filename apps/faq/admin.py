from django.contrib import admin
from django.utils.safestring import mark_safe

from apps.core.admin import ReadOnlyAdmin, ScopedModelAdmin

from .models import FaqCategory, FaqContent, FaqSubCategory, FaqTranslation


class FaqElementAdmin(ScopedModelAdmin):
    permission_key = "faq"
    list_display = ["key", "app_label", "sort_order"]
    list_filter = ["app_label"]
    search_fields = ["key"]
    # A key names its app label: set once, through the API's rules.
    rule_fields = ("key", "app_label")


@admin.register(FaqCategory)
class FaqCategoryAdmin(FaqElementAdmin):
    pass


@admin.register(FaqSubCategory)
class FaqSubCategoryAdmin(FaqElementAdmin):
    rule_fields = ("key", "app_label", "category")


@admin.register(FaqContent)
class FaqContentAdmin(FaqElementAdmin):
    rule_fields = ("key", "app_label", "sub_category", "type")


@admin.register(FaqTranslation)
class FaqTranslationAdmin(ReadOnlyAdmin):
    """Names and texts per language, with the preview of what the apps show (written through the API, which renders
    and sanitizes the Markdown)."""

    permission_key = "faq"
    list_display = ["key", "lang", "app_label", "updated_at"]
    list_filter = ["app_label", "lang"]
    search_fields = ["key", "text"]
    fields = ["key", "lang", "app_label", "text", "preview"]
    readonly_fields = fields

    @admin.display(description="Preview")
    def preview(self, translation):
        # Sanitized when written (apps.faq.markdown): safe to show as HTML.
        return mark_safe(translation.html or "")
