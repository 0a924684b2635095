"""The FAQ the apps show, per app label: categories, their sub-categories, their contents, ordered, with names and
texts per language (texts are Markdown, stored with their sanitized HTML)."""
from django.contrib.postgres.fields import ArrayField
from django.db import models

from apps.core.models import TimeStampedModel

REPLACEMENTS = [("app-label", "app-label"), ("support-email", "support-email"), ("support-phone", "support-phone")]
COLORS = [(c, c) for c in ("primary", "secondary", "tertiary", "quaternary", "success", "warn", "danger", "white")]


class FaqElement(TimeStampedModel):
    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    scope_app_label_path = "app_label"

    class Meta:
        abstract = True
        ordering = ["sort_order", "key"]

    def __str__(self):
        return self.key


class FaqCategory(FaqElement):
    class Meta(FaqElement.Meta):
        verbose_name_plural = "FAQ categories"


class FaqSubCategory(FaqElement):
    category = models.ForeignKey(FaqCategory, on_delete=models.PROTECT, related_name="sub_categories")
    replacements = ArrayField(models.CharField(max_length=20, choices=REPLACEMENTS), default=list, blank=True)
    is_spacer = models.BooleanField(default=False)

    class Meta(FaqElement.Meta):
        verbose_name_plural = "FAQ sub-categories"


class FaqContent(FaqElement):
    class Type(models.TextChoices):
        TEXT = "text"
        FORMATTED_TEXT = "formatted-text"
        BULLET_POINT = "bullet-point"

    sub_category = models.ForeignKey(FaqSubCategory, on_delete=models.PROTECT, related_name="contents")
    type = models.CharField(max_length=14, choices=Type.choices)
    replacements = ArrayField(models.CharField(max_length=20, choices=REPLACEMENTS), default=list, blank=True)
    bold = models.BooleanField(default=False)
    margin = models.CharField(max_length=32, blank=True)
    text_color = models.CharField(max_length=10, choices=COLORS, blank=True)
    bullet_color = models.CharField(max_length=10, choices=COLORS, blank=True)


class FaqTranslation(TimeStampedModel):
    """The name (categories, sub-categories) or the text (contents) of one FAQ element in one language."""

    app_label = models.ForeignKey("applabels.AppLabel", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    lang = models.CharField(max_length=2)
    text = models.TextField(max_length=20000, help_text="Markdown for contents; plain for names.")
    html = models.TextField(blank=True, help_text="The text rendered and sanitized (contents).")

    scope_app_label_path = "app_label"

    class Meta:
        ordering = ["key", "lang"]
        constraints = [models.UniqueConstraint(fields=["key", "lang"], name="one_faq_text_per_language")]
