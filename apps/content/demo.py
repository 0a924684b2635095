from .models import Language, Localization

LANGUAGES = {"en": "English", "fr": "Français", "de": "Deutsch", "nl": "Nederlands"}
STRINGS = {
    "trip.end.title": {"en": "Trip ended", "fr": "Trajet terminé", "de": "Fahrt beendet", "nl": "Rit beëindigd"},
    "trip.start.title": {"en": "Enjoy your ride", "fr": "Bonne route", "de": "Gute Fahrt", "nl": "Goede rit"},
    "vehicle.low_battery": {"en": "Low battery", "fr": "Batterie faible", "de": "Akku schwach", "nl": "Batterij bijna leeg"},
    "station.full": {"en": "Station full", "fr": "Station pleine", "de": "Station voll", "nl": "Station vol"},
}


def seed(ctx):
    languages = {code: Language.objects.get_or_create(iso_639_1=code, defaults={"name": name})[0]
                 for code, name in LANGUAGES.items()}
    for key, values in STRINGS.items():
        for code, value in values.items():
            Localization.objects.get_or_create(key=key, language=languages[code], defaults={"value": value})
    ctx.log(f"languages: {', '.join(languages)}; {len(STRINGS)} localized strings")
