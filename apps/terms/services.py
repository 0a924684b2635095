"""Writes on terms of use. A published version is frozen; publishing renders each language's PDF and starts the
notification job after commit (`notify_batch`, resumable and idempotent: a rider is notified once per version)."""
from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from apps.content.services import existing_language
from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed, on_constraint
from apps.core.pdf import FONT, Document, missing_characters
from apps.faq.markdown import render
from apps.mail.services import nearest_language
from apps.riders.models import RiderMessage
from apps.riders.tasks import send_rider_messages

from .models import TermsAttachment, TermsContent, TermsNotification, TermsOfUse

# Two drafts created at once for one target take the same number: the loser is told, nothing half written.
on_constraint(lambda: BusinessRuleViolation("terms.version_taken", "Another version was created at the same time; "
                                            "try again."), name="one_terms_version_per_target")

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
NOTIFY_BATCH = 1000


@transaction.atomic
def terms_create(*, target_type: str, target) -> TermsOfUse:
    """A new draft version for the target (the next number)."""
    target_filter = {target_type: target}
    last = TermsOfUse.objects.filter(target_type=target_type, **target_filter).aggregate(v=Max("version"))["v"]
    return TermsOfUse.objects.create(target_type=target_type, version=(last or 0) + 1, **target_filter)


def _editable(terms: TermsOfUse) -> TermsOfUse:
    terms = TermsOfUse.objects.select_for_update().get(pk=terms.pk)
    if terms.published_at is not None:
        raise BusinessRuleViolation("terms.published", "A published version is frozen; create a new version.")
    return terms


def _language(lang: str) -> str:
    return existing_language(lang=lang)


def _check_file_name(file_name: str) -> None:
    """A file name is one name: no folder, no way up, no control character (it becomes part of a stored path)."""
    if not file_name.strip() or any(c in file_name for c in "/\\") or file_name.startswith(".") or \
            not file_name.isprintable():
        raise ValidationFailed.on("file_name", "A file name without / or \\, not starting with a dot, printable.")


def _check_printable(content: TermsContent) -> None:
    missing = missing_characters(content.content)
    if missing:
        shown = " ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
        raise ValidationFailed.on("content", f"{content.lang}: the PDF's font has no glyph for {shown}; these would "
                                             "vanish from the document.")


def document_url(*, content: TermsContent) -> str | None:
    """The published PDF's public address: unguessable, served in production too (apps.terms.views)."""
    if not content.pdf_key:
        return None
    return settings.SITE_URL + reverse("terms-document", kwargs={"content_id": content.pk, "token": content.public_token,
                                                                 "file_name": content.file_name})


@transaction.atomic
def content_upsert(*, terms: TermsOfUse, lang: str, content: str, file_name: str) -> TermsContent:
    terms = _editable(terms)
    _check_file_name(file_name)
    return TermsContent.objects.update_or_create(terms=terms, lang=_language(lang),
                                                 defaults={"content": content, "file_name": file_name})[0]


def _read_pdf(upload) -> bytes:
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationFailed.on("attachment", f"An attachment is at most {ATTACHMENT_MAX_BYTES // 2**20} MiB.")
    data = upload.read()
    try:
        if not data.startswith(b"%PDF-") or not PdfReader(io.BytesIO(data)).pages:
            raise PdfReadError("no page")
    except (PdfReadError, ValueError, OSError):
        raise ValidationFailed.on("attachment", "The file is not a readable PDF.") from None
    return data


@transaction.atomic
def attachment_add(*, terms: TermsOfUse, lang: str, attachment_name: str, attachment) -> TermsAttachment:
    terms = _editable(terms)
    lang = _language(lang)
    data = _read_pdf(attachment)
    if terms.attachments.filter(lang=lang, name=attachment_name).exists():
        raise BusinessRuleViolation("terms.attachment_exists", "An attachment with this name already exists.")
    key = default_storage.save(f"termsofuse/{terms.pk}/{lang}/attachment.pdf", ContentFile(data))
    try:
        with transaction.atomic():
            return TermsAttachment.objects.create(terms=terms, lang=lang, name=attachment_name, file_key=key,
                                                  size=len(data))
    except Exception:
        default_storage.delete(key)
        raise


@transaction.atomic
def attachment_delete(*, terms: TermsOfUse, lang: str, attachment_name: str) -> None:
    terms = _editable(terms)
    attachment = terms.attachments.filter(lang=lang.lower(), name=attachment_name).first()
    if attachment is None:
        raise NotFound(f"No attachment {attachment_name!r} in {lang}.")
    key = attachment.file_key
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(key))


# The PDF's title in the document's language (the languages the installation ships; others read English).
TITLE_WORDS = {"en": ("terms of use", "version"), "fr": ("conditions d'utilisation", "version"),
               "de": ("Nutzungsbedingungen", "Version"), "es": ("condiciones de uso", "versión"),
               "it": ("condizioni d'uso", "versione"), "nl": ("gebruiksvoorwaarden", "versie"),
               "pt": ("termos de uso", "versão")}


def render_pdf(*, terms: TermsOfUse, content: TermsContent) -> bytes:
    """The language's PDF: the app label's name, the version, the Markdown rendered (sanitized), page numbers."""
    label = terms.app_label or (terms.network.app_label if terms.network else None)
    pdf = Document()
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    words, version = TITLE_WORDS.get(content.lang, TITLE_WORDS["en"])
    title = f"{label.display_name if label else words.capitalize()} — {words}, {version} {terms.version}"
    pdf.set_title(title)
    pdf.set_lang(content.lang)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.ln(4)
    pdf.write_html(render(content.content))
    return bytes(pdf.output())


def concerned_riders(*, terms: TermsOfUse):
    riders = get_user_model().objects.filter(is_active=True, is_staff=False)
    if terms.target_type == TermsOfUse.Target.APP_LABEL:
        return riders.filter(app_label_id=terms.app_label_id)
    if terms.target_type == TermsOfUse.Target.NETWORK:
        return riders.filter(network_memberships__network_id=terms.network_id)
    return riders.filter(organizations=terms.organization_id)


@transaction.atomic
def terms_publish(*, terms: TermsOfUse, actor) -> TermsOfUse:
    # at call time: a load-time import here closes a cycle through apps.terms.services.
    from .tasks import notify_terms

    terms = _editable(terms)
    contents = list(terms.contents.all())
    if not contents:
        raise BusinessRuleViolation("terms.no_content", "Give the content in at least one language first.")
    for content in contents:  # all checked before any file is written
        _check_file_name(content.file_name)
        _check_printable(content)
    written = []
    try:
        for content in contents:
            content.public_token = secrets.token_urlsafe(32)
            content.pdf_key = default_storage.save(
                f"termsofuse/{terms.pk}/{content.public_token}/{content.lang}/{content.file_name}.pdf",
                ContentFile(render_pdf(terms=terms, content=content)))
            written.append(content.pdf_key)
            content.save(update_fields=["pdf_key", "public_token", "updated_at"])
    except BaseException:
        for key in written:  # a failed publication leaves no file behind
            default_storage.delete(key)
        raise
    terms.published_at, terms.published_by = timezone.now(), actor
    terms.notify_total, terms.notify_sent = concerned_riders(terms=terms).count(), 0
    terms.save()
    transaction.on_commit(lambda: notify_terms.delay(terms.pk))
    return terms


def notify_batch(*, terms_id: int, size: int = NOTIFY_BATCH) -> int:
    """Notify the next `size` concerned riders not notified yet, in one transaction: their notification rows (one per
    rider and version, ON CONFLICT DO NOTHING) and the messages that carry the PDF link. Returns how many."""

    with transaction.atomic():
        terms = TermsOfUse.objects.select_for_update().get(pk=terms_id)
        pending = (concerned_riders(terms=terms).exclude(pk__in=TermsNotification.objects.filter(terms=terms)
                                                   .values("rider_id")).order_by("pk").values_list("pk", flat=True)[:size])
        riders = list(pending)
        if not riders:
            if terms.notify_finished_at is None:
                terms.notify_finished_at = timezone.now()
                terms.save(update_fields=["notify_finished_at", "updated_at"])
            return 0
        TermsNotification.objects.bulk_create([TermsNotification(terms=terms, rider_id=r) for r in riders],
                                              ignore_conflicts=True)
        # Each rider gets the PDF in its own language, else English, else any the version has.
        urls = {content.lang: document_url(content=content) for content in terms.contents.exclude(pdf_key="")}
        languages = dict(get_user_model().objects.filter(pk__in=riders).values_list("pk", "language"))
        messages = RiderMessage.objects.bulk_create([
            RiderMessage(rider_id=r, channel=RiderMessage.Channel.EMAIL, subject="Our terms of use change",
                         body=f"Version {terms.version} of the terms of use applies; please read and accept it.",
                         template="terms-of-use", variables={"version": terms.version, "pdf_url": nearest_language(
                             rows=urls, lang=(languages.get(r) or "en").lower()) or ""})
            for r in riders])
        ids = [m.pk for m in messages]
        transaction.on_commit(lambda: send_rider_messages.delay(ids))
        terms.notify_sent = TermsNotification.objects.filter(terms=terms).count()
        terms.save(update_fields=["notify_sent", "updated_at"])
        return len(riders)
