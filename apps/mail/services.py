"""Writes on mail templates (layouts and named templates, drafts and promotion), template images and test mails;
and the rendering of transactional mails with an app label's templates."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape as html_escape

from apps.content.services import existing_language
from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed
from apps.core.images import read_image, store_image
from apps.riders.messaging import MessageProviderUnavailable, MessageRefused
from apps.riders.models import RiderMessage

from . import catalog, rendering, transport
from .models import MailLayout, MailTemplateContent, TemplateImage

# The layout used until an app label writes its own: the template's body in a plain, readable page.
DEFAULT_LAYOUT = """<!doctype html><html><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="margin:0;background:#f4f5f7;font-family:Arial,sans-serif;color:#1d2330">
<span style="display:none">{{ preheader }}</span>
<table role="presentation" width="100%"><tr><td align="center" style="padding:24px">
<table role="presentation" width="600" style="background:#ffffff;border-radius:8px"><tr><td style="padding:32px">
<h2 style="margin-top:0">{{ app_name }}</h2>{{ content }}</td></tr></table>
<p style="font-size:12px;color:#6b7280">{{ app_name }} · {{ website }} · {{ year }}
{% if unsubscribe_url %}· <a href="{{ unsubscribe_url }}">Unsubscribe</a>{% endif %}</p>
</td></tr></table></body></html>"""
VALUE_MAX_CHARS = 100_000


def template_spec(*, name: str) -> catalog.MailTemplateSpec:
    spec = catalog.TEMPLATES.get(name)
    if spec is None:
        raise NotFound(f"No mail template {name!r}; listMailTemplateNames gives the names.")
    return spec


language = existing_language  # -2 for a language the installation does not have


# --- the layout --------------------------------------------------------------------------------------------------
def layout_of(*, app_label, draft: bool) -> MailLayout | None:
    rows = {row.is_draft: row for row in MailLayout.objects.filter(app_label=app_label)}
    return rows.get(True) or rows.get(False) if draft else rows.get(False)


@transaction.atomic
def layout_update(*, app_label, design: str, html: str) -> MailLayout:
    rendering.check(html, frozenset(catalog.LAYOUT_VARIABLES), "html")
    if "content" not in rendering.variables_of(html):
        raise ValidationFailed.on("html", "The layout must place the mail's content: {{ content }}.")
    return MailLayout.objects.update_or_create(app_label=app_label, is_draft=True,
                                               defaults={"design": design, "html": html})[0]


@transaction.atomic
def layout_promote(*, app_label, force: bool = False) -> MailLayout:
    draft = MailLayout.objects.select_for_update().filter(app_label=app_label, is_draft=True).first()
    if draft is None:
        raise BusinessRuleViolation("mail.no_draft", "There is no draft layout to promote.")
    if not force:
        broken = [f"{c.name} [{c.lang}]" for c in MailTemplateContent.objects.filter(app_label=app_label,
                                                                                    is_draft=False)
                  if not _renders(app_label, c, layout_html=draft.html)]
        if broken:
            raise BusinessRuleViolation("mail.promote_breaks_templates", "With this layout these templates would not "
                                        f"render: {', '.join(broken)}. Fix them, or promote with force.")
    MailLayout.objects.update_or_create(app_label=app_label, is_draft=False,
                                        defaults={"design": draft.design, "html": draft.html})
    draft.delete()
    return draft


@transaction.atomic
def layout_delete_draft(*, app_label) -> None:
    if not MailLayout.objects.filter(app_label=app_label, is_draft=True).delete()[0]:
        raise NotFound("There is no draft layout.")


# --- named templates ------------------------------------------------------------------------------------------
def _contents(items: list, spec: catalog.MailTemplateSpec) -> dict:
    """The body's `contents` ({"key", "value"} items): each key once, each value checked against the template's
    variables."""
    values = {}
    for index, item in enumerate(items):  # shapes checked by the API's body serializer
        key, value = item["key"], item["value"]
        if key in values:
            raise ValidationFailed.on("contents", f"Item {index}: {key} is given twice.")
        if key == "subject" and len(value) > 255:
            raise ValidationFailed.on("contents", f"Item {index}: a subject is at most 255 characters.")
        try:
            rendering.check(value, spec.allowed, "contents")
        except ValidationFailed as exc:
            raise ValidationFailed.on("contents", f"{key}: {exc.fields['contents'][0]}") from None
        values[key] = value
    return values


@transaction.atomic
def content_update(*, app_label, name: str, lang: str, contents: list) -> MailTemplateContent:
    """Saves the draft of one language: the keys given replace those of the current draft (or of production when
    there is no draft yet); an empty value removes a key."""
    spec = template_spec(name=name)
    lang = language(lang=lang)
    values = _contents(contents, spec)
    rows = {row.is_draft: row for row in MailTemplateContent.objects.select_for_update().filter(
        app_label=app_label, name=name, lang=lang)}
    current = rows.get(True) or rows.get(False)
    merged = {**(current.contents if current else {}), **values}
    merged = {key: value for key, value in merged.items() if value}
    return MailTemplateContent.objects.update_or_create(app_label=app_label, name=name, lang=lang, is_draft=True,
                                                        defaults={"contents": merged})[0]


def content_langs(*, app_label, name: str) -> list[dict]:
    template_spec(name=name)
    by_lang: dict[str, dict] = {}
    for row in MailTemplateContent.objects.filter(app_label=app_label, name=name).order_by("lang", "is_draft"):
        entry = by_lang.setdefault(row.lang, {"lang": row.lang, "has_production": False, "has_draft": False})
        entry["has_draft" if row.is_draft else "has_production"] = True
        entry["filled_keys"] = sum(1 for key in catalog.KEYS if row.contents.get(key))  # the draft when there is one
        entry["total_keys"] = len(catalog.KEYS)
        entry["complete"] = all(row.contents.get(key) for key in catalog.REQUIRED_KEYS)
    return list(by_lang.values())


@transaction.atomic
def content_delete_lang(*, app_label, name: str, lang: str) -> None:
    template_spec(name=name)
    if not MailTemplateContent.objects.filter(app_label=app_label, name=name, lang=lang.lower()).delete()[0]:
        raise NotFound(f"The template {name!r} has no content in {lang}.")


@transaction.atomic
def content_promote(*, app_label, name: str, force: bool = False) -> int:
    """Every language's draft becomes production. Without `force`, a draft missing a required text is refused."""
    template_spec(name=name)
    drafts = list(MailTemplateContent.objects.select_for_update().filter(app_label=app_label, name=name,
                                                                         is_draft=True))
    if not drafts:
        raise BusinessRuleViolation("mail.no_draft", f"The template {name!r} has no draft to promote.")
    incomplete = [d.lang for d in drafts if not all(d.contents.get(key) for key in catalog.REQUIRED_KEYS)]
    if incomplete and not force:
        raise BusinessRuleViolation("mail.draft_incomplete", f"The draft misses {' or '.join(catalog.REQUIRED_KEYS)} "
                                    f"in: {', '.join(incomplete)}. Complete it, or promote with force.")
    for draft in drafts:
        MailTemplateContent.objects.update_or_create(app_label=app_label, name=name, lang=draft.lang, is_draft=False,
                                                     defaults={"contents": draft.contents})
        draft.delete()
    return len(drafts)


@transaction.atomic
def content_delete_draft(*, app_label, name: str) -> None:
    template_spec(name=name)
    if not MailTemplateContent.objects.filter(app_label=app_label, name=name, is_draft=True).delete()[0]:
        raise NotFound(f"The template {name!r} has no draft.")


def content_view(*, app_label, name: str) -> dict:
    spec = template_spec(name=name)
    languages: dict[str, dict] = {}
    for row in MailTemplateContent.objects.filter(app_label=app_label, name=name):
        stage = "draft" if row.is_draft else "production"
        languages.setdefault(row.lang, {"lang": row.lang, "production": None, "draft": None})[stage] = [
            {"key": key, "value": row.contents[key]} for key in catalog.KEYS if key in row.contents]
    return {"name": name, "description": spec.description, "keys": list(catalog.KEYS),
            "required_keys": list(catalog.REQUIRED_KEYS), "variables": sorted(spec.allowed),
            "languages": sorted(languages.values(), key=lambda entry: entry["lang"])}


# --- rendering --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RenderedMail:
    subject: str
    html: str
    lang: str


def nearest_language(*, rows: dict, lang: str):
    """Of rows by language, the requested one, else English, else any: a rider always gets a mail in some language."""
    return rows.get(lang) or rows.get("en") or next(iter(sorted(rows.items())), (None, None))[1]


def brand_variables(*, app_label, rider=None) -> dict:
    return {"firstname": getattr(rider, "firstname", "") or "", "lastname": getattr(rider, "lastname", "") or "",
            "app_name": app_label.display_name if app_label else "fleetadmin",
            "website": (app_label.website or "") if app_label else ""}


def render_transactional(*, app_label, name: str, lang: str, variables: dict, draft: bool = False) -> RenderedMail:
    """The mail `name` for `app_label` in `lang` (or the nearest language it has): the template's texts, then the
    layout around the body. `variables` are the template's (the rider's and brand's are added by the caller)."""
    template_spec(name=name)
    rows: dict[str, MailTemplateContent] = {}
    for row in MailTemplateContent.objects.filter(app_label=app_label, name=name).order_by("is_draft"):
        if draft or not row.is_draft:
            rows[row.lang] = row  # a draft, read after production, wins when drafts are asked for
    content = nearest_language(rows=rows, lang=lang)
    if content is None:
        raise BusinessRuleViolation("mail.no_template", f"{app_label} has no content for the template {name!r}.")
    layout = layout_of(app_label=app_label, draft=draft)
    return _render(content, layout.html if layout else DEFAULT_LAYOUT, variables)


def _render(content: MailTemplateContent, layout_html: str, variables: dict) -> RenderedMail:
    # The subject and preheader are plain text (escaped once, where the layout shows them); the body is HTML.
    texts = {key: rendering.render(content.contents.get(key, ""), variables, html=key == "body")
             for key in catalog.KEYS}
    html = rendering.render(layout_html, {**variables, "content": rendering.safe(texts["body"]),
                                          "subject": texts["subject"], "preheader": texts["preheader"],
                                          "year": timezone.now().year, "unsubscribe_url": ""})
    return RenderedMail(" ".join(texts["subject"].split()), html, content.lang)


def _renders(app_label, content: MailTemplateContent, *, layout_html: str) -> bool:
    spec = catalog.TEMPLATES.get(content.name)
    variables = {**catalog.COMMON_SAMPLE, **(spec.sample if spec else {})}
    try:
        _render(content, layout_html, variables)
    except rendering.RenderFailed:
        return False
    return True


# --- images -----------------------------------------------------------------------------------------------------
def image_add(*, upload, app_label=None, newsletter=None) -> TemplateImage:
    image = read_image(upload, "image")
    folder = f"mail/{'label-' + str(app_label.pk) if app_label else 'newsletter-' + str(newsletter.pk)}"
    return store_image(image, folder, lambda key: TemplateImage.objects.create(
        app_label=app_label, newsletter=newsletter, file_key=key, content_type=image.content_type,
        width=image.width, height=image.height, size=len(image.data)))


# --- test mails -------------------------------------------------------------------------------------------------
SCALARS = (str, int, float, bool, type(None))


def test_variables(*, values: dict, spec: catalog.MailTemplateSpec) -> dict:
    """The caller's `variables` (plain values of the template's variables), completed with the samples."""
    if len(values) > 50:
        raise ValidationFailed.on("variables", "At most 50 variables.")
    for key, value in values.items():
        if key not in spec.allowed:
            raise ValidationFailed.on("variables", f"Unknown variable {key!r}; this template may use: "
                                                   f"{', '.join(sorted(spec.allowed))}.")
        if not isinstance(value, SCALARS) or (isinstance(value, str) and len(value) > 2000):
            raise ValidationFailed.on("variables", f"{key}: a string (at most 2000 characters), number or boolean.")
    return {**catalog.COMMON_SAMPLE, **spec.sample, **values}


def send_now(*, recipient, rendered: RenderedMail, app_label, template: str, images=(), headers=None):
    """Send one mail synchronously (test mails: the caller waits for the server's answer) and record it."""

    sender, reply_to = transport.sender_of(app_label)
    message = transport.build(subject=rendered.subject, html=rendered.html, to=recipient.email, sender=sender,
                              reply_to=reply_to, headers=headers, images=transport.inline_images(images))
    record = RiderMessage(rider=recipient, channel=RiderMessage.Channel.EMAIL, subject=rendered.subject[:200],
                          body=message.body[:10000], template=template[:100], language=rendered.lang,
                          sent_by=recipient)
    try:
        record.provider_message_id = transport.deliver(message)
    except (MessageRefused, MessageProviderUnavailable) as exc:
        raise BusinessRuleViolation("mail.send_failed", f"The mail server did not take the test mail: {exc}") from None
    record.status, record.sent_at = RiderMessage.Status.SENT, timezone.now()
    record.save()
    return record


def send_test_mail(*, app_label, name: str, lang: str, draft: bool, variables: dict, actor):
    spec = template_spec(name=name)
    values = {**test_variables(values=variables, spec=spec), **({} if "firstname" in variables else
                                                    {"firstname": actor.firstname or "Camille"})}
    try:
        rendered = render_transactional(app_label=app_label, name=name, lang=language(lang=lang), variables=values,
                                        draft=draft)
    except rendering.RenderFailed as exc:
        raise BusinessRuleViolation("mail.render_failed", f"The template does not render: {exc}") from None
    images = TemplateImage.objects.filter(app_label=app_label)
    return send_now(recipient=actor, rendered=rendered, app_label=app_label, template=name, images=images)


# --- transactional mails to riders ------------------------------------------------------------------------------
def send_rider_mail(*, rider, subject: str, body: str, message=None) -> str:
    """A rider's e-mail (apps.riders.tasks): rendered with the rider's app label's production template when the
    message names a catalog template the label has, in the rider's language; else the message's text as is."""

    app_label = rider.app_label
    if not transport.mails_enabled(app_label):
        raise MessageRefused(f"Mails are switched off for {app_label}.")
    if not rider.email:
        raise MessageRefused("The rider has no e-mail address.")
    name = getattr(message, "template", "")
    rendered = None
    if app_label is not None and name in catalog.TEMPLATES:
        spec = catalog.TEMPLATES[name]
        values = {key: value for key, value in (getattr(message, "variables", None) or {}).items()
                  if key in spec.allowed and isinstance(value, SCALARS)}
        try:
            rendered = render_transactional(app_label=app_label, name=name, lang=rider.language or "en",
                                            variables={**brand_variables(app_label=app_label, rider=rider), **values})
        except (BusinessRuleViolation, rendering.RenderFailed):
            rendered = None  # no usable template: the message's own text still reaches the rider
    if rendered is None:
        paragraphs = "".join(f"<p>{html_escape(part)}</p>" for part in body.split("\n\n"))
        rendered = RenderedMail(subject or "A message from your mobility service",
                                rendering.render(DEFAULT_LAYOUT, {**brand_variables(app_label=app_label, rider=rider),
                                                                  "content": rendering.safe(paragraphs),
                                                                  "subject": subject, "preheader": "",
                                                                  "year": timezone.now().year,
                                                                  "unsubscribe_url": ""}), rider.language)
    sender, reply_to = transport.sender_of(app_label)
    images = transport.inline_images(TemplateImage.objects.filter(app_label=app_label)) if app_label else []
    mail = transport.build(subject=rendered.subject, html=rendered.html, to=rider.email, sender=sender,
                           reply_to=reply_to, images=images)
    if message is not None and message.pk:
        type(message).objects.filter(pk=message.pk).update(subject=rendered.subject[:200], language=rendered.lang)
    return transport.deliver(mail)
