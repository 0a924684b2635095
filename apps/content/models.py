"""Languages the apps are offered in, and the localized strings (labels, messages) keyed per language."""
from django.db import models

from apps.core.models import TimeStampedModel


class Language(TimeStampedModel):
    iso_639_1 = models.CharField(max_length=2, unique=True, help_text="ISO 639-1 code, lowercase.")
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["iso_639_1"]

    def __str__(self):
        return f"{self.name} ({self.iso_639_1})"


class Localization(TimeStampedModel):
    key = models.CharField(max_length=100)
    language = models.ForeignKey(Language, on_delete=models.CASCADE, related_name="localizations")
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["key", "language"], name="localization_key_language_unique")]

    def __str__(self):
        return f"{self.key} [{self.language.iso_639_1}]"
