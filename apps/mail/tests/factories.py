import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.applabels.tests.factories import make_app_label
from apps.content.models import Language
from apps.mail import newsletters
from apps.mail.models import MailingList, MailTemplateContent, Newsletter, NewsletterTemplate, Subscription
from apps.networks.tests.factories import make_network


def languages():
    for code_, name in (("en", "English"), ("fr", "Français")):
        Language.objects.get_or_create(iso_639_1=code_, defaults={"name": name})


def png_upload(name="logo.png", color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_content(app_label=None, name="welcome", lang="en", draft=False, **contents):
    languages()
    contents = contents or {"subject": "Welcome {{ firstname }}", "body": "<p>Hello {{ firstname }}!</p>"}
    return MailTemplateContent.objects.create(app_label=app_label or make_app_label(), name=name, lang=lang,
                                              is_draft=draft, contents=contents)


def make_newsletter(network=None, *, type="legal", transport="mails", html=None, actor=None) -> Newsletter:
    languages()
    network = network or make_network()
    newsletter = newsletters.newsletter_create(name="Spring news", type=type, transport=transport,
                                               target_type="network", target=network, actor=actor)
    if transport == "mails":
        NewsletterTemplate.objects.create(newsletter=newsletter, lang="en", subject="News for {{ firstname }}",
                                          html=html or '<html><body><p>Hi {{ firstname }}</p>'
                                                       '<a href="https://example.org/spring">Read</a>'
                                                       '<a href="{{ unsubscribe_url }}">Unsubscribe</a>'
                                                       '</body></html>')
    else:
        newsletter.texts.create(lang="en", title="News", message="Hello {{ firstname }}")
    return newsletter


def make_list(app_label, kind="marketing", name=None):
    return MailingList.objects.create(app_label=app_label, name=name or f"{kind} list", kind=kind)


def subscribe(mailing_list, rider, unsubscribed=False):
    now = timezone.now()
    return Subscription.objects.create(mailing_list=mailing_list, rider=rider, subscribed_at=now,
                                       unsubscribed_at=now if unsubscribed else None)
