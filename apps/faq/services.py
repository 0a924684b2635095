"""Writes on the FAQ. A key names its app label (`faq.<app label id>.…`): the label must be one the caller may
change, else the key is answered like an unknown one (-2). Deleting a category or a sub-category that still holds
elements is refused (the seed: "It should not have any sub-categories" / "any content")."""
from __future__ import annotations

from django.db import transaction

from apps.content.services import existing_language
from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed, on_constraint
from apps.core.models import UNSET, assign

from .markdown import render
from .models import FaqCategory, FaqContent, FaqSubCategory, FaqTranslation

for model in (FaqCategory, FaqSubCategory, FaqContent):
    on_constraint(lambda: BusinessRuleViolation("faq.key_taken", "An FAQ element with this key already exists."),
                  model=model, fields=("key",))


def app_label_of(*, key: str, labels, field: str = "key"):
    """The app label a key names, among `labels` (the caller's write scope), else -2 naming `field`."""
    label_id = int(key.split(".")[1])
    label = labels.filter(pk=label_id).first()
    if label is None:
        raise ValidationFailed.on(field, f"No app label with id {label_id}.")
    return label


def element(*, model, key: str, labels, field: str = "key"):
    found = model.objects.filter(key=key, app_label__in=labels).first()
    if found is None:
        raise NotFound(f"No {model._meta.verbose_name} with the key {key!r}.") if field == "key" else \
            ValidationFailed.on(field, f"No {model._meta.verbose_name} with the key {key!r}.")
    return found


def _new(model, key: str, labels, **values):
    if model.objects.filter(key=key).exists():
        raise BusinessRuleViolation("faq.key_taken", "An FAQ element with this key already exists.")
    return model.objects.create(key=key, app_label=app_label_of(key=key, labels=labels), **values)


@transaction.atomic
def category_create(*, key: str, labels) -> FaqCategory:
    return _new(FaqCategory, key, labels)


@transaction.atomic
def sub_category_create(*, key: str, category: str, labels, replacements=(), is_spacer: bool = False):
    parent = element(model=FaqCategory, key=category, labels=labels, field="category")
    if parent.app_label_id != app_label_of(key=key, labels=labels).pk:
        raise ValidationFailed.on("category", "The category belongs to another app label than the key.")
    return _new(FaqSubCategory, key, labels, category=parent, replacements=list(replacements or []),
                is_spacer=bool(is_spacer))


def _check_bullet(type_: str, bullet_color) -> None:
    if type_ == FaqContent.Type.BULLET_POINT and not bullet_color:
        raise ValidationFailed.on("bullet_color", "A bullet point needs its bullet_color.")


@transaction.atomic
def content_create(*, key: str, sub_category: str, type: str, bold: bool, labels, replacements=(), margin=None,
                   text_color=None, bullet_color=None) -> FaqContent:
    parent = element(model=FaqSubCategory, key=sub_category, labels=labels, field="sub_category")
    if parent.app_label_id != app_label_of(key=key, labels=labels).pk:
        raise ValidationFailed.on("sub_category", "The sub-category belongs to another app label than the key.")
    _check_bullet(type, bullet_color)
    return _new(FaqContent, key, labels, sub_category=parent, type=type, bold=bold,
                replacements=list(replacements or []), margin=margin or "", text_color=text_color or "",
                bullet_color=bullet_color or "")


@transaction.atomic
def element_update(*, model, key: str, labels, **values):
    found = element(model=model, key=key, labels=labels)
    if model is FaqContent:
        _check_bullet(found.type, values.get("bullet_color", found.bullet_color))
    cleaned = {name: ("" if value is None and name in ("margin", "text_color", "bullet_color") else value)
               for name, value in values.items() if value is not UNSET}
    assign(found, **cleaned)
    found.save()
    return found


@transaction.atomic
def element_delete(*, model, key: str, labels) -> None:
    found = element(model=model, key=key, labels=labels)
    children = {FaqCategory: "sub_categories", FaqSubCategory: "contents"}.get(model)
    if children and getattr(found, children).exists():
        raise BusinessRuleViolation(f"{model._meta.model_name}.not_empty",
                                    f"This {model._meta.verbose_name} still holds elements; delete them first.")
    FaqTranslation.objects.filter(key=key).delete()
    found.delete()


@transaction.atomic
def translation_set(*, model, key: str, lang: str, text: str, labels) -> FaqTranslation:
    found = element(model=model, key=key, labels=labels)
    lang = existing_language(lang=lang)
    html = render(text) if model is FaqContent else ""
    return FaqTranslation.objects.update_or_create(key=key, lang=lang, defaults={
        "app_label": found.app_label, "text": text, "html": html})[0]
