"""Demo mail: every catalog template in English and French for each app label (a layout too), a marketing and a
network-status list, two newsletters already sent (through the real send job, with opens, clicks and an
unsubscription) and one planned for next week."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.applabels.models import AppLabel
from apps.content.models import Language
from apps.networks.models import Network
from apps.riders.models import RiderMessage

from . import catalog, newsletters, sending
from .models import (
    MailingList,
    MailLayout,
    MailTemplateContent,
    Newsletter,
    NewsletterDelivery,
    NewsletterTemplate,
    Subscription,
)

LAYOUT = """<!doctype html><html><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="margin:0;background:#eef2f7;font-family:Helvetica,Arial,sans-serif;color:#14213d">
<span style="display:none">{{ preheader }}</span>
<div style="max-width:600px;margin:0 auto;padding:24px">
<div style="background:#14213d;color:#fff;padding:16px 24px;border-radius:8px 8px 0 0;font-size:20px">{{ app_name }}</div>
<div style="background:#fff;padding:24px;border-radius:0 0 8px 8px">{{ content }}</div>
<p style="font-size:12px;color:#5c677d">{{ app_name }} · {{ website }} · © {{ year }}</p></div></body></html>"""

TEXTS = {
    "en": ("{{ firstname }}, {what}", "<p>Hello {{ firstname }},</p><p>{what}.</p>{extra}<p>— The {{ app_name }} team</p>"),
    "fr": ("{{ firstname }}, {what}", "<p>Bonjour {{ firstname }},</p><p>{what}.</p>{extra}<p>— L'équipe {{ app_name }}</p>"),
}


def _extra(spec) -> str:
    return "".join(f"<p>{name.replace('_', ' ')}: {{{{ {name} }}}}</p>" for name in spec.variables)


def seed(ctx):
    if MailTemplateContent.objects.exists():
        return
    for code, name in (("en", "English"), ("fr", "Français")):
        Language.objects.get_or_create(iso_639_1=code, defaults={"name": name})
    labels = list(AppLabel.objects.order_by("pk"))
    rows = []
    for label in labels:
        MailLayout.objects.create(app_label=label, is_draft=False, html=LAYOUT)
        for spec in catalog.TEMPLATES.values():
            for lang, (subject, body) in TEXTS.items():
                what = spec.description.rstrip(".")
                rows.append(MailTemplateContent(app_label=label, name=spec.name, lang=lang, is_draft=False, contents={
                    "subject": subject.replace("{what}", what.lower()),
                    "preheader": what, "body": body.replace("{what}", what).replace("{extra}", _extra(spec))}))
    MailTemplateContent.objects.bulk_create(rows)
    ctx.log(f"mail: {len(rows)} template texts ({len(catalog.TEMPLATES)} templates x 2 languages x {len(labels)} "
            "app labels)")
    network = Network.objects.select_related("app_label").order_by("pk").first()
    if network is None:
        return
    _newsletters(ctx, network)


def _newsletters(ctx, network):
    label = network.app_label
    now = timezone.now()
    marketing = MailingList.objects.create(app_label=label, name="News and offers", kind=MailingList.Kind.MARKETING,
                                           description="Monthly news, new stations and offers.")
    MailingList.objects.create(app_label=label, name="Network status", kind=MailingList.Kind.NETWORK_STATUS,
                               description="Closures, works and service changes.")
    riders = list(get_user_model().objects.filter(network_memberships__network=network, is_staff=False)
                  .exclude(email="").order_by("pk")[:400])
    Subscription.objects.bulk_create([Subscription(mailing_list=marketing, rider=r, subscribed_at=r.register_at)
                                      for r in riders[::2]])
    made = []
    for name, kind, subject, html in (
        ("Spring is here", Newsletter.Type.MARKETING, "{{ firstname }}, spring rides are 20% off",
         "<html><body><h1>Spring rides</h1><p>Hello {{ firstname }}, ride more for less this month.</p>"
         '<p><a href="https://example.org/spring">See the offer</a></p>'
         '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>'),
        ("Works on the river stations", Newsletter.Type.NETWORK_STATUS, "Stations closed next week",
         "<html><body><p>Hello {{ firstname }}, the river stations close Monday to Wednesday for works.</p>"
         '<p><a href="https://example.org/works">Map of the works</a></p>'
         '<p><a href="{{ unsubscribe_url }}">Stop these mails</a></p></body></html>'),
    ):
        newsletter = newsletters.newsletter_create(name=name, type=kind, transport="mails", target_type="network",
                                                   target=network, actor=None)
        NewsletterTemplate.objects.create(newsletter=newsletter, lang="en", subject=subject, html=html)
        Newsletter.objects.filter(pk=newsletter.pk).update(status=Newsletter.Status.SENDING)
        sending.run(newsletter.pk)  # the real job, to the configured mail backend
        made.append(newsletter)
    _track(ctx, made, now)
    planned = newsletters.newsletter_create(name="Autumn pass", type=Newsletter.Type.MARKETING, transport="mails",
                                            target_type="network", target=network, actor=None)
    NewsletterTemplate.objects.create(newsletter=planned, lang="en", subject="The autumn pass is coming",
                                      html="<p>Hello {{ firstname }}, a new pass arrives next week.</p>"
                                           '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>')
    hour = (now + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    newsletters.newsletter_send(newsletter=planned, planned_send_date=hour)
    ctx.log(f"mail: 2 newsletters sent to {network.name}, 1 planned for {hour:%Y-%m-%d %H:00}")


def _track(ctx, made, now):
    """Opens and clicks as riders would make them (every 2nd opens, every 5th clicks), one unsubscription."""

    for newsletter in made:
        ids = list(RiderMessage.objects.filter(delivery__newsletter=newsletter, status="sent")
                   .order_by("pk").values_list("pk", flat=True))
        RiderMessage.objects.filter(pk__in=ids[::2]).update(opened_at=now)
        RiderMessage.objects.filter(pk__in=ids[::5]).update(clicked_at=now, opened_at=now)
        first = NewsletterDelivery.objects.filter(newsletter=newsletter).select_related("newsletter", "rider").first()
        if first is not None:
            newsletters.unsubscribe(first)
