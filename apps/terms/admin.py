from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from apps.core.admin import ReadOnlyAdmin
from apps.faq.markdown import render

from .models import TermsContent, TermsOfUse
from .services import document_url


class ContentInline(admin.StackedInline):
    model = TermsContent
    extra = 0
    can_delete = False
    fields = ["lang", "file_name", "pdf", "preview"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="PDF")
    def pdf(self, content):
        return format_html_join("", '<a href="{}">{}</a>', [(document_url(content=content), content.file_name)]
                                ) if content.pdf_key else "not published"

    @admin.display(description="Preview")
    def preview(self, content):
        return mark_safe(render(content.content))  # rendered and sanitized (apps.faq.markdown)


@admin.register(TermsOfUse)
class TermsOfUseAdmin(ReadOnlyAdmin):
    """Versions, their contents with a preview and the PDFs, and the notification's progress; written through the
    API (publication freezes a version)."""

    permission_key = "terms.of.use"
    list_display = ["__str__", "app_label", "network", "organization", "published_at", "progress"]
    list_filter = ["target_type", ("published_at", admin.EmptyFieldListFilter)]
    inlines = [ContentInline]

    @admin.display(description="Notified")
    def progress(self, terms):
        return f"{terms.notify_sent} / {terms.notify_total}"
