"""Terms-of-use documents (issue 34): every Markdown style prints, characters the font lacks are refused by name
instead of vanishing, file names are names, a failed publication leaves no file, the title speaks the document's
language, each rider is sent its own language's PDF, and the PDFs are served at unguessable addresses in production
too."""
import io
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from pypdf import PdfReader

from apps.content.models import Language
from apps.core.testing.responses import code, fields_of
from apps.networks.tests.factories import make_network
from apps.riders.models import RiderMessage
from apps.riders.tests.factories import make_member
from apps.terms import services
from apps.terms.models import TermsContent

API = "/api/dashboard/v1/terms-of-use"


def draft(network=None, **contents):
    for lang, name in (("en", "English"), ("fr", "Français"), ("de", "Deutsch")):
        Language.objects.get_or_create(iso_639_1=lang, defaults={"name": name})
    terms = services.terms_create(target_type="network", target=network or make_network())
    for lang, text in (contents or {"en": "# Terms\n\nRide **safely**."}).items():
        TermsContent.objects.create(terms=terms, lang=lang, content=text, file_name=f"terms-{lang}")
    return terms


def stored_files(terms) -> list[str]:
    folder = f"termsofuse/{terms.pk}"
    if not default_storage.exists(folder):
        return []
    found, pending = [], [folder]
    while pending:
        current = pending.pop()
        dirs, files = default_storage.listdir(current)
        pending += [f"{current}/{d}" for d in dirs]
        found += [f"{current}/{f}" for f in files]
    return found


def pdf_of(content: TermsContent) -> PdfReader:
    return PdfReader(io.BytesIO(default_storage.open(content.pdf_key).read()))


def test_every_markdown_style_prints(admin_client):
    terms = draft(en="Ride *carefully*, ***always***, __boldly__ and _calmly_.")
    assert code(admin_client.post(f"{API}/{terms.pk}/publish")) == 0
    text = pdf_of(terms.contents.get()).pages[0].extract_text()
    assert "carefully" in text and "always" in text and "calmly" in text


def test_characters_the_font_lacks_are_refused_by_name_and_nothing_is_published(admin_client):
    terms = draft(en="Ride safely.", fr="Roulez prudemment 安全 驾驶.")
    answered = admin_client.post(f"{API}/{terms.pk}/publish")
    assert code(answered) == -2 and "安" in fields_of(answered)["content"][0] and "fr" in fields_of(answered)["content"][0]
    terms.refresh_from_db()
    assert terms.published_at is None and stored_files(terms) == []


@pytest.mark.parametrize("name", ["../../settings", "a/b", "a\\b", ".hidden", "tab\tname", " "])
def test_a_file_name_is_one_name(admin_client, name):
    terms = draft()
    answered = admin_client.put(f"{API}/{terms.pk}/contents/fr", {"content": "Roulez.", "file_name": name},
                                format="json")
    assert code(answered) == -2 and "file_name" in fields_of(answered)
    assert not terms.contents.filter(lang="fr").exists()


def test_a_failed_publication_leaves_no_file(admin_client, monkeypatch):
    terms = draft(en="Ride safely.", fr="Roulez prudemment.")
    real = services.render_pdf

    def render(*, terms, content):
        if content.lang == "fr":
            raise RuntimeError("the renderer broke")
        return real(terms=terms, content=content)

    monkeypatch.setattr(services, "render_pdf", render)
    with pytest.raises(RuntimeError):
        services.terms_publish(terms=terms, actor=None)
    assert stored_files(terms) == []


def test_the_title_speaks_the_documents_language(admin_client):
    terms = draft(en="Ride safely.", fr="Roulez prudemment.")
    assert code(admin_client.post(f"{API}/{terms.pk}/publish")) == 0
    titles = {c.lang: pdf_of(c).metadata.title for c in terms.contents.all()}
    assert "terms of use" in titles["en"] and "conditions d'utilisation" in titles["fr"]
    assert "terms of use" not in titles["fr"]


def test_each_rider_is_sent_the_pdf_of_its_language_and_it_is_served_in_production(
        admin_client, django_capture_on_commit_callbacks, settings):
    network = make_network()
    french, german, english = (make_member(network, language=lang) for lang in ("fr", "de", "en"))
    terms = draft(network, en="Ride safely.", fr="Roulez prudemment.")
    with django_capture_on_commit_callbacks(execute=True):
        assert code(admin_client.post(f"{API}/{terms.pk}/publish")) == 0
    sent = {m.rider_id: m.variables["pdf_url"] for m in RiderMessage.objects.filter(template="terms-of-use")}
    by_lang = {c.lang: services.document_url(content=c) for c in terms.contents.all()}
    assert sent == {french.pk: by_lang["fr"], german.pk: by_lang["en"], english.pk: by_lang["en"]}
    settings.SERVE_MEDIA = False  # production: uploaded files are not served by this process
    client = Client()
    path = urlsplit(by_lang["fr"]).path
    served = client.get(path)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content).startswith(b"%PDF-")
    content = terms.contents.get(lang="fr")
    assert len(content.public_token) >= 40 and content.public_token in path
    assert client.get(path.replace(content.public_token, "x" * len(content.public_token))).status_code == 404
    assert client.get(path.replace("terms-fr.pdf", "other.pdf")).status_code == 404
