from apps.core.api.routing import operation_urls

from . import views

urlpatterns = operation_urls(
    views.MailTemplateNames, views.Layout, views.LayoutPromote, views.LayoutDraft, views.TemplateContent,
    views.TemplateLangs, views.TemplateLang, views.TemplateTest, views.TemplatePromote, views.TemplateDraft,
    views.LabelImages, views.MailingLists, views.NewsletterCollection, views.NewsletterDetail, views.NewsletterSend,
    views.NewsletterTest, views.NewsletterTargets, views.NewsletterTargetDetail, views.NewsletterFilters,
    views.NewsletterFilterDetail, views.NewsletterTemplates, views.NewsletterTexts, views.NewsletterImages,
    views.NewsletterStatistics,
)
