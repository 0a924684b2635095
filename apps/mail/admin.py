"""Mail in the admin: templates and layouts with a rendered preview, mailing lists with their subscribers,
newsletters with their audience before sending, progress while sending and statistics after. Everything is written
through the API's services; the admin's actions (cancel, resend the unconfirmed) call them too."""
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html

from apps.core.admin import ReadOnlyAdmin

from . import catalog, newsletters, rendering, services
from .audience import audience
from .models import MailingList, MailLayout, MailTemplateContent, Newsletter, NewsletterTarget, TemplateImage


def _frame(html: str):
    # The mail in a sandboxed frame: its styles and links stay inside, no script runs.
    return format_html('<iframe sandbox srcdoc="{}" style="width:100%;max-width:720px;height:520px;'
                       'border:1px solid #ccc;background:#fff"></iframe>', html)


@admin.register(MailLayout)
class MailLayoutAdmin(ReadOnlyAdmin):
    permission_key = "emails.templates"
    list_display = ["app_label", "is_draft", "updated_at"]
    list_filter = ["app_label", "is_draft"]
    fields = ["app_label", "is_draft", "updated_at", "preview", "html"]
    readonly_fields = fields

    @admin.display(description="Preview (sample mail)")
    def preview(self, layout):
        sample = "<p>Hello Camille,</p><p>This is where each mail's text goes.</p>"
        try:
            return _frame(rendering.render(layout.html, {**catalog.COMMON_SAMPLE, "content": rendering.safe(sample),
                                                         "subject": "Sample", "preheader": "", "year": 2026,
                                                         "unsubscribe_url": ""}))
        except rendering.RenderFailed as exc:
            return f"Does not render: {exc}"


@admin.register(MailTemplateContent)
class MailTemplateContentAdmin(ReadOnlyAdmin):
    permission_key = "emails.templates"
    list_display = ["name", "app_label", "lang", "is_draft", "updated_at"]
    list_filter = ["name", "lang", "is_draft", "app_label"]
    fields = ["app_label", "name", "lang", "is_draft", "contents", "preview"]
    readonly_fields = fields

    @admin.display(description="Preview (sample values, the label's layout)")
    def preview(self, content):
        spec = catalog.TEMPLATES.get(content.name)
        layout = services.layout_of(app_label=content.app_label, draft=content.is_draft)
        try:
            rendered = services._render(content, layout.html if layout else services.DEFAULT_LAYOUT,
                                        {**catalog.COMMON_SAMPLE, **(spec.sample if spec else {})})
        except rendering.RenderFailed as exc:
            return f"Does not render: {exc}"
        return format_html("<p><b>Subject:</b> {}</p>{}", rendered.subject, _frame(rendered.html))


@admin.register(TemplateImage)
class TemplateImageAdmin(ReadOnlyAdmin):
    permission_key = "emails.templates"
    list_display = ["file_key", "app_label", "newsletter", "width", "height", "size", "created_at"]
    list_select_related = ["app_label", "newsletter"]


@admin.register(MailingList)
class MailingListAdmin(ReadOnlyAdmin):
    permission_key = "emails.newsletters"
    list_display = ["name", "app_label", "kind", "subscribers", "unsubscribed"]
    list_filter = ["kind", "app_label"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("app_label").annotate(
            subscriber_count=Count("subscriptions", filter=Q(subscriptions__unsubscribed_at__isnull=True)),
            unsubscribed_count=Count("subscriptions", filter=Q(subscriptions__unsubscribed_at__isnull=False)))

    @admin.display(ordering="subscriber_count")
    def subscribers(self, mailing_list):
        return mailing_list.subscriber_count

    @admin.display(ordering="unsubscribed_count")
    def unsubscribed(self, mailing_list):
        return mailing_list.unsubscribed_count


class TargetInline(admin.TabularInline):
    model = NewsletterTarget
    extra = 0
    can_delete = False
    fields = ["target_type", "app_label", "network", "organization", "mailing_list", "filters"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Filters")
    def filters(self, target):
        return ", ".join(str(f) for f in target.filters.all()) or "none"


@admin.register(Newsletter)
class NewsletterAdmin(ReadOnlyAdmin):
    permission_key = "emails.newsletters"
    list_display = ["name", "type", "transport", "status", "planned_send_date", "audience_size", "created_at"]
    list_filter = ["status", "type", "transport"]
    search_fields = ["name"]
    inlines = [TargetInline]
    fields = ["name", "type", "transport", "app_label", "status", "planned_send_date", "audience",
              "send_started_at", "send_finished_at", "cancelled_at", "figures"]
    readonly_fields = fields
    actions = ["cancel", "resend_unconfirmed"]

    @admin.display(description="Audience")
    def audience(self, newsletter):
        if newsletter.audience_size is not None:
            return f"{newsletter.audience_size} riders (counted when sending started)"
        return f"{audience(newsletter).count()} riders if sent now"

    @admin.display(description="Progress and statistics")
    def figures(self, newsletter):
        stats = newsletters.statistics(newsletter)
        return format_html(
            "{} sent, {} pending, {} failed, {} unconfirmed of {} · opened {} ({}%), clicked {} ({}%), "
            "unsubscribed {}", stats["sent"], stats["pending"], stats["failed"], stats["unconfirmed"],
            stats["targeted"], stats["opened"], round(stats["opened_rate"] * 100, 1), stats["clicked"],
            round(stats["clicked_rate"] * 100, 1), stats["unsubscribed"])

    @admin.action(description="Cancel sending (mails not handed over yet are dropped)")
    def cancel(self, request, queryset):
        self.each_through_service(request, queryset, lambda n: newsletters.newsletter_cancel(newsletter=n),
                                  "cancelled")

    @admin.action(description="Send the unconfirmed mails again (a rider may get two)")
    def resend_unconfirmed(self, request, queryset):
        self.each_through_service(request, queryset, lambda n: newsletters.resend_unconfirmed(newsletter=n),
                                  "queued again")
