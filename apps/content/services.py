from django.db import transaction

from apps.core.exceptions import BusinessRuleViolation, ValidationFailed, on_constraint

from .models import Language, Localization


def _language_exists() -> BusinessRuleViolation:
    return BusinessRuleViolation("language.already_exists", "This language already exists.")


on_constraint(_language_exists, model=Language, fields=("iso_639_1",))


def existing_language(*, lang: str, field: str = "lang") -> str:
    """`lang` lowercased, when it is a language of the installation; else -2 naming `field`."""
    lang = lang.lower()
    if not Language.objects.filter(iso_639_1=lang).exists():
        raise ValidationFailed.on(field, f"No language {lang!r}; create it first (createLanguage).")
    return lang


@transaction.atomic
def language_create(*, iso_639_1: str, name: str) -> Language:
    # A second create of the same code breaks the unique key; the exception handler answers it as above.
    return Language.objects.create(iso_639_1=iso_639_1.lower(), name=name)


def localization_upsert(*, key: str, value: str, lang: str) -> Localization:
    """Create the localization of `key` in `lang`, or replace its value; the language must exist."""
    language = Language.objects.filter(iso_639_1=lang.lower()).first()
    if language is None:
        raise ValidationFailed.on("lang", f"Unknown language {lang!r}; create it first (createLanguage).")
    localization, _ = Localization.objects.update_or_create(key=key, language=language, defaults={"value": value})
    return localization
