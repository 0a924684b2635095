"""The FAQ operations (contract and access matrix) and their rules: ordering keys, refusing to delete a non-empty
element, sanitized Markdown."""
import re

from apps.applabels.tests.factories import make_app_label
from apps.content.models import Language
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.core.testing.responses import code, error_key, fields_of
from apps.faq import services
from apps.faq.markdown import render
from apps.faq.models import FaqCategory, FaqContent, FaqSubCategory, FaqTranslation

API = "/api/dashboard/v1"


def _labels():
    from apps.applabels.models import AppLabel

    return AppLabel.objects.all()


def _category(label=None):
    label = label or make_app_label()
    return services.category_create(key=f"faq.{label.pk}.categories.riding", labels=_labels())


def _sub_category():
    category = _category()
    return services.sub_category_create(key=f"faq.{category.app_label_id}.sub_categories.riding.unlock",
                                        category=category.key, labels=_labels())


def _content():
    sub = _sub_category()
    return services.content_create(key=f"faq.{sub.app_label_id}.contents.unlock.first", sub_category=sub.key,
                                   type="text", bold=False, labels=_labels())


def _french():
    Language.objects.get_or_create(iso_639_1="fr", defaults={"name": "Français"})
    return "fr"


def _names_its_parent(model, key: str, parent: str, parent_key: str) -> None:
    assert getattr(model.objects.get(key=key), parent).key == parent_key


CASES = [
    OperationCase("createFaqCategory", lambda: Request(body={"key": f"faq.{make_app_label().pk}.categories.payment"})),
    OperationCase("updateFaqCategory", lambda: Request(body={"key": _category().key, "sort_order": 3})),
    OperationCase("deleteFaqCategory", lambda: Request(query={"key": _category().key})),
    OperationCase("updateFaqCategoryName", lambda: Request(path_params={"lang": _french()},
                                                           body={"key": _category().key, "name": "Rouler"})),
    OperationCase("createFaqSubCategory", lambda: (lambda c: Request(body={
        "key": f"faq.{c.app_label_id}.sub_categories.riding.lock", "category": c.key,
        "replacements": ["app-label"], "is_spacer": False}))(_category()),
        # The category is named by its key and kept as the row it names.
        not_stored=("category",), read_back=lambda request, body: _names_its_parent(
            FaqSubCategory, request.body["key"], "category", request.body["category"])),
    OperationCase("updateFaqSubCategory", lambda: Request(body={"key": _sub_category().key, "sort_order": 2,
                                                                "replacements": ["support-email"]})),
    OperationCase("deleteFaqSubCategory", lambda: Request(query={"key": _sub_category().key})),
    OperationCase("updateFaqSubCategoryName", lambda: Request(path_params={"lang": _french()},
                                                              body={"key": _sub_category().key, "name": "Déverrouiller"})),
    OperationCase("createFaqContent", lambda: (lambda s: Request(body={
        "key": f"faq.{s.app_label_id}.contents.unlock.bullet", "sub_category": s.key, "type": "bullet-point",
        "bold": True, "bullet_color": "primary", "text_color": "secondary"}))(_sub_category()),
        not_stored=("sub_category",), read_back=lambda request, body: _names_its_parent(
            FaqContent, request.body["key"], "sub_category", request.body["sub_category"])),
    OperationCase("updateFaqContent", lambda: Request(body={"key": _content().key, "sort_order": 1, "bold": True})),
    OperationCase("deleteFaqContent", lambda: Request(query={"key": _content().key})),
    OperationCase("updateFaqContentText", lambda: Request(path_params={"lang": _french()}, body={
        "key": _content().key, "content": "Scannez le **QR code** du vélo."})),
    OperationCase("listFaqLanguages", lambda: (lambda c: (services.translation_set(
        model=FaqContent, key=c.key, lang=_french(), text="Bonjour", labels=_labels()),
        Request(path_params={"app_label_id": c.app_label_id}))[1])(_content())),
]

globals().update(contract_tests(CASES))


def test_markdown_with_scripts_and_javascript_links_is_neutralized():
    html = render('Hello <script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror="alert(3)"> '
                  '**bold** [ok](https://example.com)')
    tags = re.findall(r"<[^>]+>", html)  # what a browser would interpret; the rest is escaped text
    assert not [t for t in tags if re.match(r"<\s*(script|img|iframe)", t) or re.search(r"\son\w+=|javascript:", t)]
    assert "&lt;script&gt;" in html  # the raw HTML is shown as text, not run
    assert "<strong>bold</strong>" in html and 'href="https://example.com"' in html
    linked = render('[click](javascript:alert(2)) <a href="javascript:alert(4)" onclick="x()">a</a>')
    assert not re.findall(r"<a\s", linked)  # neither link became an element


def test_a_category_with_sub_categories_is_not_deleted(admin_client):
    sub = _sub_category()
    response = admin_client.delete(f"{API}/faq/categories?key={sub.category.key}")
    assert error_key(response) == "faqcategory.not_empty"
    assert code(admin_client.delete(f"{API}/faq/sub-categories?key={sub.key}")) == 0
    assert code(admin_client.delete(f"{API}/faq/categories?key={sub.category.key}")) == 0
    assert not FaqCategory.objects.exists() and not FaqSubCategory.objects.exists()


def test_texts_are_stored_rendered_and_languages_listed(admin_client):
    content = _content()
    _french()
    url = f"{API}/faq/contents/texts/fr"
    assert code(admin_client.put(url, {"key": content.key, "content": "Un *texte* <script>x</script>"},
                                 format="json")) == 0
    stored = FaqTranslation.objects.get(key=content.key, lang="fr")
    assert "<em>texte</em>" in stored.html and "<script" not in stored.html
    unknown = admin_client.put(f"{API}/faq/contents/texts/xx", {"key": content.key, "content": "x"}, format="json")
    assert code(unknown) == -2 and "lang" in fields_of(unknown)
    languages = admin_client.get(f"{API}/app-labels/{content.app_label_id}/faq-languages").json()["data"]
    assert languages == ["fr"]


def test_a_key_naming_another_app_label_or_a_bullet_without_color_is_refused(admin_client, staff_user):
    from apps.access.tests.factories import make_grant, make_unit
    from apps.core.testing.clients import client_for

    mine, theirs = make_app_label(), make_app_label()
    make_grant(staff_user, "faq", write=True, unit=make_unit(app_labels=[mine]))
    client = client_for(staff_user)
    refused = client.post(f"{API}/faq/categories", {"key": f"faq.{theirs.pk}.categories.x"}, format="json")
    assert code(refused) == -2 and "key" in fields_of(refused)
    assert code(client.post(f"{API}/faq/categories", {"key": f"faq.{mine.pk}.categories.x"}, format="json")) == 0
    sub = services.sub_category_create(key=f"faq.{mine.pk}.sub_categories.x.y", category=f"faq.{mine.pk}.categories.x",
                                       labels=_labels())
    bullet = client.post(f"{API}/faq/contents", {"key": f"faq.{mine.pk}.contents.y.z", "sub_category": sub.key,
                                                 "type": "bullet-point", "bold": False}, format="json")
    assert code(bullet) == -2 and "bullet_color" in fields_of(bullet)
