"""Building and sending one mail: multipart text + HTML, images inline by Content-ID, the sender of the brand.

Mails go through Django's mail framework, configured by EMAIL_URL (fleetadmin.env.email_settings). A refused
recipient or message is `MessageRefused` (never retried); a server that cannot be reached is
`MessageProviderUnavailable` (the job retries later)."""
from __future__ import annotations

import html as html_lib
import re
import secrets
import smtplib
import socket
import uuid
from dataclasses import dataclass
from functools import lru_cache
from email.mime.image import MIMEImage
from email.utils import formataddr
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address

from apps.riders.messaging import MessageProviderUnavailable, MessageRefused

from .models import TemplateImage


@dataclass(frozen=True)
class InlineImage:
    content_id: str
    data: bytes
    content_type: str
    urls: tuple[str, ...]  # how an editor references it: its absolute and relative address


def inline_images(images) -> list[InlineImage]:
    """The stored images (TemplateImage rows), read once per job or test mail."""
    loaded = []
    for image in images:
        relative = default_storage.url(image.file_key)
        with default_storage.open(image.file_key) as stored:
            loaded.append(InlineImage(str(image.content_id), stored.read(), image.content_type,
                                      (f"{settings.SITE_URL}{relative}", relative)))
    return loaded


def image_url(image: TemplateImage) -> str:
    return f"{settings.SITE_URL}{default_storage.url(image.file_key)}"


_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


_LINK = re.compile(r"""(?is)<a\b[^>]*?\bhref\s*=\s*(["'])(?P<url>[^"']+)\1[^>]*>(?P<label>.*?)</a>""")


def _link_as_text(match: re.Match) -> str:
    """A link in the text part: its label and its address (the unsubscribe link must work in plain text too)."""
    url, label = match.group("url").strip(), match.group("label")
    if url.lower().startswith(("javascript:", "data:")):
        return label
    shown = html_lib.unescape(nh3.clean(label, tags=set())).strip()
    return f"{label} ({url})" if shown and shown != html_lib.unescape(url) else url


def to_text(html: str) -> str:
    """The text part: the HTML without its tags, each link kept as "label (address)" (nh3 drops script and style
    with their content)."""
    with_links = _LINK.sub(_link_as_text, html)
    with_breaks = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr|table)>", "\n", with_links)
    text = html_lib.unescape(nh3.clean(with_breaks, tags=set()))
    return _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text)).strip()


def message_id(kind: str = "mail") -> str:
    """A Message-ID nobody can guess, under the site's own domain (RFC 5322: unique, and the right-hand side the
    sender's): `<kind.random@site>`."""
    return f"<{kind}.{secrets.token_hex(16)}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>"


def sender_of(app_label) -> tuple[str, str | None]:
    """From and Reply-To of mails sent under `app_label` (its mail setting), else the installation's."""
    setting = getattr(app_label, "mail_setting", None) if app_label is not None else None
    if setting is None or not setting.sender_address:
        return settings.DEFAULT_FROM_EMAIL, None
    return formataddr((setting.sender_name or app_label.display_name, setting.sender_address)), setting.reply_to


def mails_enabled(app_label) -> bool:
    setting = getattr(app_label, "mail_setting", None) if app_label is not None else None
    return setting is None or setting.send_mails


def build(*, subject: str, html: str, to: str, sender: str, reply_to: str | None = None, headers: dict | None = None,
          images: list[InlineImage] = ()) -> EmailMultiAlternatives:
    used = []
    for image in images:
        if any(url in html for url in image.urls):
            for url in image.urls:  # the absolute address first: the relative one is inside it
                html = html.replace(url, f"cid:{image.content_id}")
            used.append(image)
    message = EmailMultiAlternatives(subject, to_text(html), sender, [to], reply_to=[reply_to] if reply_to else None,
                                     headers={"Message-ID": message_id(), **(headers or {})})
    message.attach_alternative(html, "text/html")
    if used:
        message.mixed_subtype = "related"  # multipart/related: the HTML and the images it shows by cid:
        for image in used:
            part = MIMEImage(image.data, _subtype=image.content_type.split("/")[1])
            part.add_header("Content-ID", f"<{image.content_id}>")
            part.add_header("Content-Disposition", "inline")
            message.attach(part)
    return message


def deliver(message: EmailMultiAlternatives, connection=None) -> str:
    """Send one mail (on `connection` when a job keeps one open); its Message-ID is the provider's reference."""
    try:
        message.send(fail_silently=False) if connection is None else connection.send_messages([message])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        raise MessageRefused(str(exc)[:500]) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MessageProviderUnavailable(str(exc)[:500]) from exc
    return message.extra_headers["Message-ID"]


_BOUNDARY = f"=_fleetadmin_{uuid.uuid4().hex}"


@lru_cache(maxsize=64)
def _sanitized(address: str, encoding) -> str:
    return sanitize_address(address, encoding)


class Unconfirmed(Exception):
    """The server had the whole mail but its answer to the final dot was lost: maybe delivered."""


def deliver_marked(message: EmailMultiAlternatives, backend, mark_sent) -> str:
    """Send one mail so that a crash can never deliver it twice: on SMTP, the whole mail is transferred but for the
    final dot of DATA, then `mark_sent()` commits it as sent, then the dot is written. A sender killed before the
    commit leaves the server with an unfinished DATA, which it discards (RFC 5321 4.1.1.4): the mail can be sent
    again. Killed after it, the mail is marked sent whether or not the dot went out (a window of one write).
    Other backends (console, file, memory) deliver, then mark."""
    reference = message.extra_headers["Message-ID"]
    smtp = getattr(backend, "connection", None)
    if not isinstance(smtp, smtplib.SMTP):
        deliver(message, backend)
        mark_sent()
        return reference
    sender = _sanitized(message.from_email, message.encoding)
    mime = message.message()
    for depth, part in enumerate(p for p in mime.walk() if p.is_multipart()):
        # Fixed boundaries (random per process): the email package otherwise compiles a regex for each new one.
        part.set_boundary(f"{_BOUNDARY}.{depth}")
    data = mime.as_bytes(linesep="\r\n")
    try:
        # The final dot is a small write after the body: without TCP_NODELAY, Nagle's algorithm holds it until the
        # server's delayed ACK (~40 ms a mail).
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        smtp.ehlo_or_helo_if_needed()
        recipients = [sanitize_address(recipient, message.encoding) for recipient in message.recipients()]
        if smtp.has_extn("pipelining"):  # RFC 2920: the envelope and DATA in one write, one round trip
            commands = [f"MAIL FROM:{smtplib.quoteaddr(sender)}"] + [
                f"RCPT TO:{smtplib.quoteaddr(recipient)}" for recipient in recipients] + ["DATA"]
            smtp.send(("\r\n".join(commands) + "\r\n").encode())
            replies = [smtp.getreply() for _ in commands]
            failed = [(c, r) for c, r in replies[:-1] if c not in (250, 251)]
            code, reply = replies[-1] if replies[-1][0] == 354 or not failed else failed[0]
        else:
            code, reply = smtp.mail(sender)
            for recipient in recipients if code == 250 else ():
                code, reply = smtp.rcpt(recipient)
                if code not in (250, 251):
                    break
            if code in (250, 251):
                code, reply = smtp.docmd("DATA")
        if code != 354:
            smtp.rset()
            answer = f"{code} {reply.decode(errors='replace')}"[:500]
            # 5xx: this mail is refused for good; 4xx: try again later (nothing was delivered).
            raise MessageRefused(answer) if code >= 500 else MessageProviderUnavailable(answer)
        body = smtplib._quote_periods(data)  # the dot-stuffing smtplib's own data() does
        smtp.send(body if body.endswith(b"\r\n") else body + b"\r\n")
    except (smtplib.SMTPException, OSError) as exc:  # nothing can have been delivered
        raise MessageProviderUnavailable(str(exc)[:500]) from exc
    mark_sent()
    try:
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
    except (smtplib.SMTPException, OSError) as exc:
        raise Unconfirmed(str(exc)[:500]) from exc
    if code != 250:
        raise MessageRefused(f"{code} {reply.decode(errors='replace')}"[:500])
    return reference
