from .models import Localization


def localized_values(*, prefix: str, lang: str) -> dict[str, str]:
    """The non-empty localizations `<prefix><name>` in `lang`, as name -> text (one query).

    How other apps let operators word their labels (permission keys, maintenance types) per language.
    """
    rows = Localization.objects.filter(language__iso_639_1=lang.lower(), key__startswith=prefix)
    return {key.removeprefix(prefix): value for key, value in rows.values_list("key", "value") if value}


SHIPPED_LANGUAGES = ("en", "fr")


def labels_in(*, lang: str, shipped: dict[str, tuple[str, str]], prefix: str) -> dict[str, str]:
    """key -> label in `lang`: the operator's localization `<prefix><key>` when there is one, else the
    (English, French) wording fleetadmin ships, English for any other language."""
    lang = lang.lower()
    column = SHIPPED_LANGUAGES.index(lang) if lang in SHIPPED_LANGUAGES else 0
    overrides = localized_values(prefix=prefix, lang=lang)
    return {key: overrides.get(key, words[column]) for key, words in shipped.items()}
