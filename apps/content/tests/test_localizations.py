from apps.content.models import Language, Localization

BASE = "/api/dashboard/v1"


def test_upsert_creates_then_overwrites(admin_client):
    Language.objects.create(iso_639_1="fr", name="Français")
    for value in ("Fin", "Trajet terminé"):
        response = admin_client.put(f"{BASE}/localizations", {"key": "trip.end", "value": value, "lang": "FR"},
                                    format="json")
        assert response.json() == {"code": 0}
    assert Localization.objects.get().value == "Trajet terminé"
    data = admin_client.get(f"{BASE}/localizations", {"lang": "fr"}).json()["data"]
    assert [(d["key"], d["value"], d["lang"]) for d in data] == [("trip.end", "Trajet terminé", "fr")]
    assert admin_client.get(f"{BASE}/localizations", {"lang": "de"}).json()["data"] == []


def test_upsert_needs_a_configured_language(admin_client):
    response = admin_client.put(f"{BASE}/localizations", {"key": "k", "value": "v", "lang": "xx"}, format="json")
    assert response.status_code == 400 and "lang" in response.json()["message"]["fields"]
    assert not Localization.objects.exists()


def test_languages_are_unique_case_insensitively(admin_client):
    assert admin_client.post(f"{BASE}/languages", {"iso_639_1": "DE", "name": "Deutsch"}, format="json").json() == {"code": 0}
    again = admin_client.post(f"{BASE}/languages", {"iso_639_1": "de", "name": "German"}, format="json")
    assert again.status_code == 409 and again.json()["message"]["key"] == "language.already_exists"
    assert admin_client.get(f"{BASE}/languages").json()["data"][0]["iso_639_1"] == "de"
