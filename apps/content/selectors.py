from .models import Localization


def localized_values(prefix: str, lang: str) -> dict[str, str]:
    """The non-empty localizations `<prefix><name>` in `lang`, as name -> text (one query).

    How other apps let operators word their labels (permission keys, maintenance types) per language.
    """
    rows = Localization.objects.filter(language__iso_639_1=lang.lower(), key__startswith=prefix)
    return {key.removeprefix(prefix): value for key, value in rows.values_list("key", "value") if value}
