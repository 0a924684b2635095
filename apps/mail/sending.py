"""The newsletter send job: resumable, idempotent, rate-limited, cancellable.

1. Under a PostgreSQL advisory lock (one runner per newsletter; a dead worker's lock goes with its connection), the
   audience is resolved once, in one INSERT ... SELECT: a queued RiderMessage and a NewsletterDelivery per rider
   (unique per newsletter and rider: nobody is queued twice).
2. Then, in id order, each queued mail is rendered for its rider and transferred to the mail server on one
   kept-open connection; it is committed as sent just before the final dot of SMTP's DATA
   (transport.deliver_marked), so the server cannot hold a mail the database does not call sent.
3. A rerun (a retry, or the beat resuming a job whose worker died) finds the mail the dead run was transferring still
   queued (the server discarded its unfinished DATA) and sends it. Every rider gets the newsletter exactly once, but
   for a kill landing between the commit and the write of the dot (one system call), which loses that one mail
   rather than sending it twice. A mail whose final answer was lost is `unconfirmed` and never resent on its own.
"""
from __future__ import annotations

import re
import time
from functools import cached_property

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db, transaction
from django.db.models.functions import Mod
from django.utils import timezone

from apps.riders.messaging import MessageProviderUnavailable, MessageRefused, provider_for
from apps.riders.models import RiderMessage

from . import rendering, services, tracking, transport
from .audience import audience
from .models import Newsletter, NewsletterDelivery, TemplateImage

LOCK_NAMESPACE = 4100  # pg advisory locks: (namespace, newsletter id)
BATCH = 500
_HREF = re.compile(r'(<a\b[^>]*?\bhref\s*=\s*")(https?://[^"]+)(")', re.IGNORECASE)


class Personalizer:
    """Renders a newsletter for one rider: texts in the rider's language, links tracked, an open pixel, the
    unsubscribe link and headers. Templates are compiled once per job (rendering caches them by source)."""

    def __init__(self, newsletter: Newsletter):
        self.newsletter = newsletter
        self.app_label = newsletter.app_label
        self.sender, self.reply_to = transport.sender_of(self.app_label)
        self.unsubscribable = newsletter.type != Newsletter.Type.LEGAL

    @cached_property
    def templates(self) -> dict:
        return {t.lang: t for t in self.newsletter.templates.all()}

    @cached_property
    def texts(self) -> dict:
        return {t.lang: t for t in self.newsletter.texts.all()}

    @cached_property
    def images(self) -> list:
        return list(TemplateImage.objects.filter(newsletter=self.newsletter)) + list(
            TemplateImage.objects.filter(app_label=self.app_label) if self.app_label else [])

    @cached_property
    def inline_images(self) -> list:
        return transport.inline_images(self.images)

    @staticmethod
    def _pick(rows: dict, lang: str):
        chosen = services.nearest_language(rows=rows, lang=lang)
        if chosen is None:
            raise LookupError("no content")
        return chosen

    def variables(self, rider, message_id: int | None) -> dict:
        unsubscribe = tracking.unsubscribe_url(message_id) if self.unsubscribable and message_id else ""
        if self.unsubscribable and not message_id:
            unsubscribe = f"{settings.SITE_URL}/m/u/test"  # a test mail: the link shows where it would be
        return {**services.brand_variables(app_label=self.app_label, rider=rider), "unsubscribe_url": unsubscribe}

    def mail_for(self, rider, lang: str, *, message_id: int | None):
        template = self._pick(self.templates, lang)
        values = self.variables(rider, message_id)
        subject = " ".join(rendering.render(template.subject, values, html=False).split())
        html = rendering.render(template.html, values)
        headers = {}
        if message_id:
            html = _HREF.sub(lambda m: m.group(0) if m.group(2).startswith(settings.SITE_URL) else (
                m.group(1) + tracking.click_url(message_id, m.group(2)) + m.group(3)), html)  # ours stay direct
            pixel = f'<img src="{tracking.open_url(message_id)}" width="1" height="1" alt="" style="display:none">'
            html = html.replace("</body>", pixel + "</body>") if "</body>" in html else html + pixel
            headers["Message-ID"] = transport.message_id(f"newsletter-{self.newsletter.pk}")
        if values["unsubscribe_url"]:
            headers["List-Unsubscribe"] = f"<{values['unsubscribe_url']}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
        return services.RenderedMail(subject, html, template.lang), headers

    def push_to(self, rider, lang: str, *, sent_by=None, save: bool = True) -> RiderMessage:
        text = self._pick(self.texts, lang)
        values = self.variables(rider, None)
        message = RiderMessage(rider=rider, channel=RiderMessage.Channel.PUSH, template=f"newsletter:{self.newsletter.pk}",
                               subject=rendering.render(text.title, values, html=False)[:200], language=text.lang,
                               body=rendering.render(text.message, values, html=False), sent_by=sent_by)
        try:
            message.provider_message_id = provider_for("push").send(rider=rider, subject=message.subject,
                                                                    body=message.body)[:255]
            message.status, message.sent_at = RiderMessage.Status.SENT, timezone.now()
        except MessageRefused as exc:
            message.status, message.error = RiderMessage.Status.FAILED, str(exc)[:500]
        if save:
            message.save()
        return message


def resolve_audience(newsletter: Newsletter) -> int:
    """Queues one message per rider of the audience, in one statement; returns how many."""
    riders = audience(newsletter).order_by().values("pk")
    sql, params = riders.query.sql_with_params()
    channel = "email" if newsletter.transport == Newsletter.Transport.MAILS else "push"
    messages, deliveries = RiderMessage._meta.db_table, NewsletterDelivery._meta.db_table
    with db.cursor() as cursor:
        cursor.execute(f"""
            WITH riders(id) AS ({sql}),
            queued AS (
                INSERT INTO {messages} (rider_id, channel, subject, body, template, variables, language, status,
                                        provider_message_id, error, created_at, updated_at)
                SELECT r.id, %s, %s, '', %s, '{{}}', '', 'queued', '', '', now(), now() FROM riders r
                WHERE NOT EXISTS (SELECT 1 FROM {deliveries} d WHERE d.newsletter_id = %s AND d.rider_id = r.id)
                RETURNING id, rider_id)
            INSERT INTO {deliveries} (newsletter_id, rider_id, message_id)
            SELECT %s, rider_id, id FROM queued""",
                       (*params, channel, newsletter.name[:200], f"newsletter:{newsletter.pk}", newsletter.pk,
                        newsletter.pk))
        return cursor.rowcount


class _Pace:
    """At most `rate` per second (0: no limit), without drifting over a long run."""

    def __init__(self, rate: int):
        self.interval, self.next_at = (1 / rate if rate else 0), time.monotonic()

    def wait(self) -> None:
        if self.interval:
            delay = self.next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.next_at = max(self.next_at, time.monotonic() - 1) + self.interval


def _status(newsletter_id: int) -> str:
    return Newsletter.objects.filter(pk=newsletter_id).values_list("status", flat=True).first()


MAX_SHARDS = 16


def run(newsletter_id: int, *, shard: int = 0, shards: int = 1, batch: int = BATCH) -> str:
    """Send the newsletter's mails of one shard (message id modulo `shards`): shards run in parallel worker processes,
    each on its own SMTP connection; any of them resolves the audience first, the last to finish marks it sent."""
    if not 0 <= shard < shards <= MAX_SHARDS:
        raise ValueError(f"shard {shard} of {shards}")
    key = newsletter_id * MAX_SHARDS + shard
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_NAMESPACE, key))
        if not cursor.fetchone()[0]:
            return "already running"
    try:
        return _run_locked(newsletter_id, batch, shard, shards)
    finally:
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_NAMESPACE, key))


def _start(newsletter_id: int) -> Newsletter | None:
    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update(of=("self",)).select_related("app_label__mail_setting").get(
            pk=newsletter_id)
        due = newsletter.status == Newsletter.Status.PLANNED and newsletter.planned_send_date <= timezone.now()
        if newsletter.status != Newsletter.Status.SENDING and not due:
            return None
        if newsletter.audience_size is None:
            newsletter.status, newsletter.send_started_at = Newsletter.Status.SENDING, timezone.now()
            newsletter.audience_size = resolve_audience(newsletter)
            newsletter.save(update_fields=["status", "send_started_at", "audience_size", "updated_at"])
        return newsletter


def _run_locked(newsletter_id: int, batch: int, shard: int, shards: int) -> str:
    newsletter = _start(newsletter_id)
    if newsletter is None:
        return _status(newsletter_id)
    rate = settings.EMAIL_RATE_PER_SECOND
    personalizer, pace = Personalizer(newsletter), _Pace(max(1, rate // shards) if rate else 0)
    mails = newsletter.transport == Newsletter.Transport.MAILS
    queued = NewsletterDelivery.objects.filter(newsletter=newsletter, message__status=RiderMessage.Status.QUEUED)
    if shards > 1:
        queued = queued.alias(shard=Mod("message_id", shards)).filter(shard=shard)
    last_id = 0
    while True:
        rows = list(queued.filter(message_id__gt=last_id).select_related("rider").order_by("message_id")[:batch])
        if not rows:
            break
        if _status(newsletter_id) != Newsletter.Status.SENDING:
            return _status(newsletter_id)  # cancelled
        smtp = get_connection() if mails else None
        if smtp is not None:
            try:
                smtp.open()
            except OSError as exc:  # nothing claimed yet: the task retries later
                raise MessageProviderUnavailable(str(exc)) from exc
        finished = False
        try:
            for delivery in rows:
                pace.wait()
                _send_one(personalizer, delivery, smtp)
                last_id = delivery.message_id
            finished = True
        finally:
            if smtp is not None:
                _close(smtp, politely=finished)
    with transaction.atomic():
        finished = Newsletter.objects.select_for_update().get(pk=newsletter_id)
        others_pending = RiderMessage.objects.filter(delivery__newsletter_id=newsletter_id,
                                                     status=RiderMessage.Status.QUEUED).exists()
        if finished.status == Newsletter.Status.SENDING and not others_pending:
            finished.status, finished.send_finished_at = Newsletter.Status.SENT, timezone.now()
            finished.save(update_fields=["status", "send_finished_at", "updated_at"])
        return finished.status


def _close(backend, *, politely: bool) -> None:
    """QUIT after a clean batch; after a failure mid-mail, drop the socket (a QUIT inside an unfinished DATA would be
    read as mail text until the timeout), which also makes the server discard that mail."""
    connection = getattr(backend, "connection", None)
    if politely or connection is None:
        backend.close()
        return
    connection.close()
    backend.connection = None


class Cancelled(Exception):
    pass


def _send_one(personalizer: Personalizer, delivery: NewsletterDelivery, smtp) -> None:
    Status = RiderMessage.Status
    messages = RiderMessage.objects.filter(pk=delivery.message_id)
    rider = delivery.rider
    lang = rider.language or "en"
    try:
        if smtp is None:
            sent = personalizer.push_to(rider, lang, save=False)  # the delivery's own message records it
            messages.update(status=sent.status, subject=sent.subject, body=sent.body, language=sent.language,
                            provider_message_id=sent.provider_message_id, error=sent.error, sent_at=sent.sent_at)
            return
        rendered, headers = personalizer.mail_for(rider, lang, message_id=delivery.message_id)
        mail = transport.build(subject=rendered.subject, html=rendered.html, to=rider.email,
                               sender=personalizer.sender, reply_to=personalizer.reply_to, headers=headers,
                               images=personalizer.inline_images)
        def mark_sent():
            if not messages.filter(status=Status.QUEUED).update(
                    status=Status.SENT, provider_message_id=mail.extra_headers["Message-ID"][:255],
                    subject=rendered.subject[:200], language=rendered.lang, sent_at=timezone.now()):
                raise Cancelled  # dropped meanwhile: the unfinished DATA is abandoned with the connection

        transport.deliver_marked(mail, smtp, mark_sent)
    except Cancelled:
        _close(smtp, politely=False)  # the server discards the unfinished mail
        smtp.open()
    except (rendering.RenderFailed, LookupError, MessageRefused) as exc:
        messages.update(status=Status.FAILED, error=str(exc)[:500])
    except transport.Unconfirmed as exc:
        messages.update(status=Status.UNCONFIRMED, error=str(exc)[:500])
        raise MessageProviderUnavailable(str(exc)) from exc
    except MessageProviderUnavailable:
        messages.update(status=Status.QUEUED)  # nothing was delivered: the retry sends it
        raise


def due_newsletters() -> list[int]:
    """Planned newsletters whose hour has come, and sending ones (a running job holds its lock: the rerun returns)."""
    return list(Newsletter.objects.filter(status__in=(Newsletter.Status.PLANNED, Newsletter.Status.SENDING)).filter(
        planned_send_date__lte=timezone.now()).values_list("pk", flat=True)) + list(
        Newsletter.objects.filter(status=Newsletter.Status.SENDING, planned_send_date__isnull=True)
        .values_list("pk", flat=True))
