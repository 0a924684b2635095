from apps.content.models import Language, Localization
from apps.core.testing.contract import OperationCase, Request, contract_tests


def _with_language(request):
    def build():
        french, _ = Language.objects.get_or_create(iso_639_1="fr", defaults={"name": "Français"})
        Localization.objects.get_or_create(key="trip.start", language=french, defaults={"value": "Départ"})
        return request
    return build


CASES = [
    OperationCase("listLocalizations", _with_language(Request(query={"lang": "fr"}))),
    OperationCase("upsertLocalization", _with_language(Request(body={"key": "trip.end", "value": "Fin", "lang": "fr"}))),
    OperationCase("listLanguages", _with_language(Request())),
    OperationCase("createLanguage", lambda: Request(body={"iso_639_1": "de", "name": "Deutsch"})),
]

globals().update(contract_tests(CASES))
