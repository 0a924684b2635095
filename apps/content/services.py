from django.db import IntegrityError, transaction

from apps.core.api.errors import BusinessRuleViolation, ValidationFailed

from .models import Language, Localization


def language_create(*, iso_639_1: str, name: str) -> Language:
    code = iso_639_1.lower()
    try:
        with transaction.atomic():
            return Language.objects.create(iso_639_1=code, name=name)
    except IntegrityError:
        raise BusinessRuleViolation("language.already_exists", f"The language {code!r} already exists.") from None


def localization_upsert(*, key: str, value: str, lang: str) -> Localization:
    """Create the localization of `key` in `lang`, or replace its value; the language must exist."""
    language = Language.objects.filter(iso_639_1=lang.lower()).first()
    if language is None:
        raise ValidationFailed.on("lang", f"Unknown language {lang!r}; create it first (createLanguage).")
    localization, _ = Localization.objects.update_or_create(key=key, language=language, defaults={"value": value})
    return localization
