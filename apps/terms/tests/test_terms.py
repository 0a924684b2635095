"""Terms of use: the 8 operations (contract and access matrix), publication (PDF per language, frozen afterwards)
and the notification job (each concerned rider once, resumable, with its progress)."""
import base64
import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from apps.applabels.tests.factories import make_app_label
from apps.content.models import Language
from apps.core.pdf import FONT, Document
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.core.testing.responses import code, error_key, fields_of
from apps.networks.tests.factories import make_network
from apps.riders.models import RiderMessage
from apps.riders.tests.factories import make_member
from apps.terms import services
from apps.terms.models import TermsContent, TermsNotification, TermsOfUse

API = "/api/dashboard/v1/terms-of-use"


def pdf_bytes() -> bytes:
    document = Document()
    document.add_page()
    document.set_font(FONT, size=12)
    document.cell(0, 10, "Annex")
    return bytes(document.output())


def pdf_upload(name="annex.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def pdf_base64() -> str:
    return base64.b64encode(pdf_bytes()).decode()


def _languages():
    for code_, name in (("en", "English"), ("fr", "Français")):
        Language.objects.get_or_create(iso_639_1=code_, defaults={"name": name})


def _draft(network=None):
    _languages()
    terms = services.terms_create(target_type="network", target=network or make_network())
    TermsContent.objects.create(terms=terms, lang="en", content="# Terms\n\nRide **safely**.", file_name="terms")
    return terms


def _with_attachment():
    terms = _draft()
    services.attachment_add(terms=terms, lang="en", attachment_name="Annex", attachment=pdf_upload())
    return terms


CASES = [
    OperationCase("getTermsOfUse", lambda: (lambda t: Request(path_params={"type": "network",
                                                                           "type_id": t.network_id}))(_draft())),
    OperationCase("createTermsOfUse", lambda: Request(path_params={"type": "network", "type_id": make_network().pk})),
    OperationCase("publishTermsOfUse", lambda: Request(path_params={"terms_of_use_id": _draft().pk})),
    OperationCase("getTermsOfUseContent", lambda: Request(path_params={"terms_of_use_id": _draft().pk, "lang": "en"})),
    OperationCase("upsertTermsOfUseContent", lambda: Request(path_params={"terms_of_use_id": _draft().pk, "lang": "fr"},
                                                             body={"content": "Roulez *prudemment*.",
                                                                   "file_name": "cgu"})),
    OperationCase("listTermsOfUseAttachments", lambda: Request(path_params={"terms_of_use_id": _with_attachment().pk,
                                                                            "lang": "en"})),
    OperationCase("addTermsOfUseAttachment", lambda: Request(path_params={"terms_of_use_id": _draft().pk, "lang": "en"},
                                                             body={"attachment_name": "Tariffs",
                                                                   "attachment": pdf_base64()})),
    OperationCase("deleteTermsOfUseAttachment", lambda: Request(
        path_params={"terms_of_use_id": _with_attachment().pk, "lang": "en"}, query={"attachment_name": "Annex"})),
]

globals().update(contract_tests(CASES))


def test_publishing_renders_each_language_freezes_the_version_and_notifies_each_rider_once(
        admin_client, django_capture_on_commit_callbacks, settings):
    network = make_network()
    riders = [make_member(network) for _ in range(7)]
    make_member(make_network())  # not concerned
    terms = _draft(network)
    admin_client.put(f"{API}/{terms.pk}/contents/fr", {"content": "# Conditions\n\nRoulez **prudemment**, Zoé.",
                                                       "file_name": "cgu"}, format="json")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert code(admin_client.post(f"{API}/{terms.pk}/publish")) == 0
    terms.refresh_from_db()
    assert (terms.notify_total, terms.notify_sent) == (7, 0)  # progress starts at 0
    texts = {c.lang: PdfReader(io.BytesIO(default_storage.open(c.pdf_key).read())).pages[0].extract_text()
             for c in terms.contents.all()}
    assert "Ride safely." in texts["en"] and "Roulez prudemment, Zoé." in texts["fr"] and "Page 1/1" in texts["fr"]
    assert error_key(admin_client.put(f"{API}/{terms.pk}/contents/en", {"content": "x", "file_name": "y"},
                                      format="json")) == "terms.published"
    assert error_key(admin_client.post(f"{API}/{terms.pk}/publish")) == "terms.published"

    # The job, interrupted after its first batch (a worker killed), then run again from the start.
    assert services.notify_batch(terms_id=terms.pk, size=3) == 3
    terms.refresh_from_db()
    assert terms.notify_sent == 3
    for callback in pending:  # the job queued at publication: it resumes, notifying the 4 others only
        callback()
    for callback in pending:
        callback()  # and a duplicate run changes nothing
    assert TermsNotification.objects.filter(terms=terms).count() == 7
    assert sorted(TermsNotification.objects.filter(terms=terms).values_list("rider_id", flat=True)) == sorted(
        r.pk for r in riders)
    assert RiderMessage.objects.filter(template="terms-of-use").count() == 7
    shown = admin_client.get(f"{API}/network/{network.pk}").json()["data"][0]
    assert shown["notification_progress"] == "7/7" and shown["notify_finished_at"]


def test_attachments_are_pdfs_and_publication_needs_a_content(admin_client):
    _languages()
    terms = services.terms_create(target_type="app_label", target=make_app_label())
    for fake in (base64.b64encode(b"%PDF-1.4 not really").decode(), "not base64!"):
        refused = admin_client.post(f"{API}/{terms.pk}/attachments/en", {"attachment_name": "x", "attachment": fake},
                                    format="json")
        assert code(refused) == -2 and "attachment" in fields_of(refused)
    added = admin_client.post(f"{API}/{terms.pk}/attachments/en", {"attachment_name": "Annex",
                                                                  "attachment": pdf_base64()}, format="json")
    assert code(added) == 0 and added.json()["data"]["size"] > 100
    assert error_key(admin_client.post(f"{API}/{terms.pk}/publish")) == "terms.no_content"
    second = admin_client.post(f"{API}/app_label/{terms.app_label_id}").json()["data"]
    assert second["version"] == 2 and TermsOfUse.objects.count() == 2
