"""Building and sending one mail: multipart text + HTML, images inline by Content-ID, the sender of the brand.

Mails go through Django's mail framework, configured by EMAIL_URL (fleetadmin.env.email_settings). A refused
recipient or message is `MessageRefused` (never retried); a server that cannot be reached is
`MessageProviderUnavailable` (the job retries later)."""
from __future__ import annotations

import html as html_lib
import re
import smtplib
import uuid
from dataclasses import dataclass
from email.mime.image import MIMEImage
from email.utils import formataddr

import nh3
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives

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


def to_text(html: str) -> str:
    """The text part: the HTML without its tags (nh3 drops script and style with their content)."""
    with_breaks = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr|table)>", "\n", html)
    text = html_lib.unescape(nh3.clean(with_breaks, tags=set()))
    return _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text)).strip()


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
                                     headers={"Message-ID": f"<{uuid.uuid4()}@fleetadmin>", **(headers or {})})
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
