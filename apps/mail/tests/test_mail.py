"""Mail for real: a loopback SMTP server receives the test mails and newsletters, whose MIME structure, headers and
inline images are checked; the template sandbox; the send job's exactly-once delivery across a killed worker; the
tracking links, unsubscribing and statistics; the audience's filters and consent rules."""
import re
from datetime import timedelta
from urllib.parse import urlsplit
from unittest.mock import patch

import pytest
from django.conf import settings
from django.utils import timezone

from apps.applabels.models import AppLabelMailSetting
from apps.applabels.tests.factories import make_app_label
from apps.fleet.tests.factories import make_cluster
from apps.core.testing.responses import code, error_key, fields_of
from apps.mail import sending, services, transport
from apps.mail.audience import audience
from apps.mail.models import Newsletter, NewsletterDelivery, NewsletterTargetFilter
from apps.mail.testing import SmtpSink
from apps.networks.tests.factories import make_network
from apps.riders.models import RiderMessage
from apps.riders.tests.factories import make_member
from apps.trips.tests.factories import make_trip

from .factories import languages, make_content, make_list, make_newsletter, png_upload, subscribe

API = "/api/dashboard/v1"


@pytest.fixture
def sink(settings, db):
    with SmtpSink() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.SITE_URL = "https://fleet.example"
        settings.EMAIL_RATE_PER_SECOND = 0
        yield server


def _branded_label():
    label = make_app_label(display_name="Vélo+", website="https://velo.example")
    AppLabelMailSetting.objects.create(app_label=label, send_mails=True, sender_address="news@velo.example",
                                       sender_name="Vélo+", reply_to="help@velo.example",
                                       notification_email="ops@velo.example")
    return label


def test_a_test_mail_arrives_over_smtp_multipart_with_its_image_inline(admin_client, superuser, sink):
    admin_user = superuser
    label = _branded_label()
    image = admin_client.post(f"{API}/app-labels/{label.pk}/mail-template-images", {"image": png_upload()},
                              format="multipart").json()["data"]
    assert image["url"].startswith("https://fleet.example/media/")
    languages()
    put = admin_client.put(f"{API}/app-labels/{label.pk}/mail-templates/trip-receipt", {"lang": "fr", "contents": [
        {"key": "subject", "value": "Reçu du trajet {{ trip_id }}"},
        {"key": "body", "value": f'<img src="{image["url"]}" alt="logo"><p>{{{{ firstname }}}}, '
                                 '{{ amount }} {{ currency }}</p><p>{{ note_free_text|default("") }}</p>'}]},
        format="json")
    assert code(put) == -2 and "note_free_text" in fields_of(put)["contents"][0]  # unknown variable, named
    put = admin_client.put(f"{API}/app-labels/{label.pk}/mail-templates/trip-receipt", {"lang": "fr", "contents": [
        {"key": "subject", "value": "Reçu du trajet {{ trip_id }}"},
        {"key": "body", "value": f'<img src="{image["url"]}" alt="logo"><p>{{{{ firstname }}}}, '
                                 '{{ amount }} {{ currency }}</p>'}]}, format="json")
    assert code(put) == 0
    sent = admin_client.post(f"{API}/app-labels/{label.pk}/mail-templates/trip-receipt/test", {
        "lang": "fr", "draft": True, "variables": {"firstname": "<b>Zoé</b> {{ 7*7 }}", "amount": "2.85"}},
        format="json")
    assert code(sent) == 0, sent.json()
    (recipients, mail), = sink.parsed()
    assert recipients == [admin_user.email]
    assert mail["Subject"] == "Reçu du trajet 1042"  # the sample fills what the caller did not give
    assert mail["From"].addresses[0].addr_spec == "news@velo.example" and "Vélo+" in str(mail["From"])
    assert mail["Reply-To"].addresses[0].addr_spec == "help@velo.example"
    assert mail.get_content_type() == "multipart/related"
    alternative, picture = mail.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html"]
    text, html = (p.get_content() for p in alternative.get_payload())
    content_id = picture["Content-ID"].strip("<>")
    assert picture.get_content_type() == "image/png" and picture.get_content().startswith(b"\x89PNG")
    assert f'src="cid:{content_id}"' in html and image["url"] not in html
    # Variables are data: markup in them is escaped, template syntax in them is not run.
    assert "&lt;b&gt;Zoé&lt;/b&gt; {{ 7*7 }}, 2.85 EUR" in html
    assert "Zoé" in text and "<p>" not in text
    record = RiderMessage.objects.get(rider=admin_user)
    assert (record.status, record.template, record.language) == ("sent", "trip-receipt", "fr")
    assert record.provider_message_id == mail["Message-ID"]
    assert admin_client.get(f"{API}/users/{admin_user.pk}/mails").json()["data"][0]["status"] == "sent"


@pytest.mark.parametrize("source, named", [
    ("{{ settings.SECRET_KEY }}", "settings"),
    ("{{ firstname.__class__.__mro__ }}", "attributes"),
    ("{{ ''.__class__.__base__.__subclasses__() }}", "attributes"),
    ("{{ firstname|attr('__class__') }}", "No filter named 'attr'"),
    ("{{ self.__init__.__globals__ }}", "self"),
    ("{{ range(10) }}", "range"),
    ("{% include 'base.html' %}", "include"),
    ("Hello\n{% if firstname %}\nno end", "Line 2"),
])
def test_a_template_reaching_for_server_internals_is_refused_when_saved(admin_client, source, named):
    languages()
    label = make_app_label()
    response = admin_client.put(f"{API}/app-labels/{label.pk}/mail-templates/welcome", {
        "lang": "en", "contents": [{"key": "body", "value": source}]}, format="json")
    assert code(response) == -2 and named in fields_of(response)["contents"][0], response.json()
    newsletter = make_newsletter()
    response = admin_client.put(f"{API}/newsletters/{newsletter.pk}/templates/en", {
        "subject": "News", "design": "{}", "html": source}, format="json")
    assert code(response) == -2 and named in fields_of(response)["html"][0], response.json()


def test_the_sandbox_renders_nothing_of_the_server_even_if_a_template_got_past_the_checks(settings, db):
    from apps.mail.rendering import RenderFailed, render

    for source in ("{{ x.__class__ }}", "{{ x.upper }}", "{{ self._TemplateReference__context }}"):
        with pytest.raises(RenderFailed):
            render(source, {"x": "value"})
    assert settings.SECRET_KEY not in render("{{ x }}", {"x": "{{ settings.SECRET_KEY }}"})


def test_layout_and_template_drafts_promote_by_the_rules(admin_client):
    languages()
    label = make_app_label()
    base = f"{API}/app-labels/{label.pk}/mail-template-base"
    refused = admin_client.put(base, {"design": "{}", "html": "<main>no place for the mail</main>"}, format="json")
    assert code(refused) == -2 and "content" in fields_of(refused)["html"][0]
    assert error_key(admin_client.post(f"{base}/promote", {}, format="multipart")) == "mail.no_draft"
    assert code(admin_client.put(base, {"design": "{}", "html": "<main>{{ content }}</main>"}, format="json")) == 0
    stages = [row["stage"] for row in admin_client.get(base).json()["data"]]
    assert stages == ["production", "draft"]  # production is the built-in layout until one is promoted
    assert code(admin_client.post(f"{base}/promote", {}, format="multipart")) == 0
    assert [row["html"] for row in admin_client.get(base).json()["data"]] == ["<main>{{ content }}</main>"]

    template = f"{API}/app-labels/{label.pk}/mail-templates/welcome"
    assert code(admin_client.put(template, {"lang": "fr", "contents": [{"key": "subject", "value": "Bienvenue"}]},
                                 format="json")) == 0
    langs = admin_client.get(f"{template}/langs").json()["data"]
    assert langs == [{"lang": "fr", "has_production": False, "has_draft": True, "filled_keys": 1, "total_keys": 3,
                      "complete": False}]
    assert error_key(admin_client.post(f"{template}/promote", {}, format="multipart")) == "mail.draft_incomplete"
    assert code(admin_client.post(f"{template}/promote", {"force": "true"}, format="multipart")) == 0
    shown = admin_client.get(template).json()["data"]["languages"]
    assert shown == [{"lang": "fr", "production": [{"key": "subject", "value": "Bienvenue"}], "draft": None}]
    assert code(admin_client.delete(f"{template}/draft")) == -5
    assert code(admin_client.delete(f"{template}/langs/fr")) == 0 and admin_client.get(
        f"{template}/langs").json()["data"] == []
    assert code(admin_client.get(f"{API}/app-labels/{label.pk}/mail-templates/no-such-mail")) == -5


def _riders_for(network, count, **fields):
    return [make_member(network, firstname=f"R{i}", **fields) for i in range(count)]


def test_a_newsletter_over_smtp_tracks_opens_clicks_and_one_click_unsubscribes(
        admin_client, django_capture_on_commit_callbacks, sink, client):
    label = _branded_label()
    network = make_network(app_label=label)
    riders = _riders_for(network, 3)
    staff = make_member(network, is_staff=True)
    gone = make_member(network)
    subscribe(make_list(label, kind="network-status"), gone, unsubscribed=True)
    newsletter = make_newsletter(network, type="network-status")
    shown = admin_client.get(f"{API}/newsletters/{newsletter.pk}").json()["data"]
    assert shown["estimated_audience"] == 3 and shown["status"] == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        assert code(admin_client.post(f"{API}/newsletters/{newsletter.pk}/send", {}, format="json")) == 0
    received = {to[0]: mail for to, mail in sink.parsed()}
    assert set(received) == {r.email for r in riders}  # not staff, not who unsubscribed
    mail = received[riders[0].email]
    html = mail.get_body(("html",)).get_content()
    unsubscribe = re.search(r"<(https://fleet\.example/m/u/[^>]+)>", mail["List-Unsubscribe"]).group(1)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="{unsubscribe}"' in html
    click = re.search(r'href="(https://fleet\.example/m/c/[^"]+)"', html).group(1)
    pixel = re.search(r'src="(https://fleet\.example/m/o/[^"]+)"', html).group(1)
    assert "example.org/spring" not in html  # the link goes through the tracked redirect
    assert riders[0].email not in html.replace(f"Hi {riders[0].firstname}", "")  # no address in any link
    # Unguessable, and under the site's own domain.
    assert re.fullmatch(rf"<newsletter-{newsletter.pk}\.[0-9a-f]{{32}}@{re.escape(urlsplit(settings.SITE_URL).hostname)}>",
                        mail["Message-ID"]), mail["Message-ID"]
    path = lambda url: url.removeprefix("https://fleet.example")  # noqa: E731

    assert client.get(path(pixel))["Content-Type"] == "image/gif"
    redirect = client.get(path(click))
    assert redirect.status_code == 302 and redirect["Location"] == "https://example.org/spring"
    assert client.get(path(click)[:-3] + "abc").status_code == 404  # tampered: no open redirect
    page = client.get(path(unsubscribe))
    assert page.status_code == 200 and b"<form" in page.content
    assert not NewsletterDelivery.objects.filter(unsubscribed_at__isnull=False).exists()  # a GET changes nothing
    one_click = client.post(path(unsubscribe), "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")
    assert one_click.status_code == 200 and b"unsubscribed" in one_click.content
    client.post(path(unsubscribe))  # twice: still one
    stats = admin_client.get(f"{API}/newsletters/{newsletter.pk}/statistics").json()["data"]
    assert {k: stats[k] for k in ("targeted", "sent", "failed", "opened", "clicked", "unsubscribed")} == {
        "targeted": 3, "sent": 3, "failed": 0, "opened": 1, "clicked": 1, "unsubscribed": 1}
    assert stats["opened_rate"] == round(1 / 3, 4)
    again = make_newsletter(network, type="network-status")
    assert set(audience(again).values_list("email", flat=True)) == {riders[1].email, riders[2].email}
    assert admin_client.get(f"{API}/newsletters/{newsletter.pk}").json()["data"]["status"] == "sent"
    assert staff.email not in received


def test_a_worker_killed_mid_send_then_rerun_delivers_exactly_one_mail_per_rider(sink):
    network = make_network()
    riders = _riders_for(network, 12)
    newsletter = make_newsletter(network)
    Newsletter.objects.filter(pk=newsletter.pk).update(status=Newsletter.Status.SENDING)
    real, calls = transport.deliver_marked, []

    def killed_on_the_seventh(message, backend, mark_sent):
        calls.append(1)
        if len(calls) == 7:  # the 7th mail: transferred but for the final dot, then the worker dies
            backend.connection.send(b"Subject: half\r\n\r\nhalf a mail\r\n")
            raise SystemExit("SIGKILL")
        return real(message, backend, mark_sent)

    with patch.object(transport, "deliver_marked", killed_on_the_seventh), pytest.raises(SystemExit):
        sending.run(newsletter.pk, batch=5)
    statuses = sorted(RiderMessage.objects.values_list("status", flat=True))
    assert statuses.count("sent") == 6 and statuses.count("queued") == 6  # the 7th was never committed as sent
    assert sink.count == 6  # the server dropped the unfinished DATA
    assert sending.run(newsletter.pk, batch=5) == "sent"  # the retry
    assert sending.run(newsletter.pk, batch=5) == "sent"  # and a duplicate retry sends nothing
    assert sorted(to[0] for to, _ in sink.parsed()) == sorted(r.email for r in riders)
    assert set(RiderMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_mail_committed_as_sent_is_never_sent_again(sink):
    network = make_network()
    _riders_for(network, 3)
    newsletter = make_newsletter(network)
    Newsletter.objects.filter(pk=newsletter.pk).update(status=Newsletter.Status.SENDING)
    real = transport.deliver_marked

    def dies_after_the_commit(message, backend, mark_sent):
        def mark_then_die():
            mark_sent()
            raise SystemExit("SIGKILL after the commit")
        return real(message, backend, mark_then_die)

    with patch.object(transport, "deliver_marked", dies_after_the_commit), pytest.raises(SystemExit):
        sending.run(newsletter.pk)
    sending.run(newsletter.pk)
    # The first rider's mail was committed as sent; its dot never went out, so it is lost, not duplicated.
    assert sink.count == 2 and RiderMessage.objects.filter(status="sent").count() == 3


def test_cancelling_stops_the_job_and_planned_newsletters_wait_for_their_hour(admin_client, sink,
                                                                             django_capture_on_commit_callbacks):
    network = make_network()
    _riders_for(network, 4)
    newsletter = make_newsletter(network)
    url = f"{API}/newsletters/{newsletter.pk}/send"
    for bad in ("2020-01-01T10:00:00Z", (timezone.now() + timedelta(hours=2)).replace(minute=30).isoformat()):
        refused = admin_client.post(url, {"planned_send_date": bad}, format="json")
        assert code(refused) == -2 and "planned_send_date" in fields_of(refused)
    hour = (timezone.now() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert code(admin_client.post(url, {"planned_send_date": hour.isoformat()}, format="json")) == 0
    assert sink.count == 0 and sending.due_newsletters() == []
    assert error_key(admin_client.put(f"{API}/newsletters/{newsletter.pk}/templates/en", {
        "subject": "x", "design": "", "html": "x"}, format="json")) == "newsletter.not_editable"
    with patch("django.utils.timezone.now", return_value=hour + timedelta(minutes=1)):
        assert sending.due_newsletters() == [newsletter.pk]
        from apps.mail.tasks import send_due_newsletters

        assert send_due_newsletters() == 1  # eager: the job ran
    assert sink.count == 4

    second = make_newsletter(network)
    Newsletter.objects.filter(pk=second.pk).update(status=Newsletter.Status.SENDING)
    from apps.mail import newsletters

    def cancelled_by_staff_meanwhile(*args):
        if Newsletter.objects.get(pk=second.pk).status == Newsletter.Status.SENDING:
            newsletters.newsletter_cancel(newsletter=second)

    with patch.object(sending, "_send_one", side_effect=cancelled_by_staff_meanwhile):
        assert sending.run(second.pk, batch=2) == "cancelled"
    assert sink.count == 4 and not RiderMessage.objects.filter(delivery__newsletter=second, status="queued").exists()


def test_the_audience_applies_each_filter_and_the_consent_rules(db):
    now = timezone.now()
    label = make_app_label()
    network = make_network(app_label=label)
    veteran = make_member(network, register_at=now - timedelta(days=400))
    newcomer = make_member(network, register_at=now - timedelta(days=3))
    dormant = make_member(network, register_at=now - timedelta(days=200))
    for _ in range(3):
        make_trip(network=network, rider=veteran, distance=5000)
    trip = make_trip(network=network, rider=newcomer, distance=800, start_cluster=make_cluster(network=network))
    make_trip(network=make_network(app_label=label), rider=dormant, distance=99000)  # elsewhere: not counted
    for rider, last in ((veteran, now - timedelta(days=1)), (newcomer, now), (dormant, now - timedelta(days=90))):
        type(rider).objects.filter(pk=rider.pk).update(last_activity=last)  # the factories recorded their own
    newsletter = make_newsletter(network, type="legal")
    target = newsletter.targets.get()

    def matching(filter_type, operator, value):
        NewsletterTargetFilter.objects.filter(target=target).delete()
        NewsletterTargetFilter.objects.create(target=target, filter_type=filter_type, operator=operator, value=value)
        return set(audience(newsletter).values_list("pk", flat=True))

    assert matching("trip_count", ">", 2) == {veteran.pk}
    assert matching("trip_count", "=", 0) == {dormant.pk}
    assert matching("traveled_distance", ">", 1000) == {veteran.pk}
    assert matching("visited_station", "=", trip.start_cluster_id) == {newcomer.pk}
    assert matching("register_duration", ">", 365 * 86400) == {veteran.pk}
    assert matching("register_duration", "<", 7 * 86400) == {newcomer.pk}
    assert matching("register_duration", "=", 3 * 86400) == {newcomer.pk}
    assert matching("last_activity", ">", 30 * 86400) == {dormant.pk}
    assert matching("usage_frequency", ">", 0) == {veteran.pk, newcomer.pk}

    NewsletterTargetFilter.objects.filter(target=target).delete()
    newsletter.type = Newsletter.Type.MARKETING
    assert set(audience(newsletter).values_list("pk", flat=True)) == set()  # marketing needs an opt-in
    marketing = make_list(label)
    subscribe(marketing, veteran)
    subscribe(marketing, dormant, unsubscribed=True)
    assert set(audience(newsletter).values_list("pk", flat=True)) == {veteran.pk}


def test_newsletter_rules(admin_client):
    languages()
    label = make_app_label()
    network = make_network(app_label=label)
    newsletter = make_newsletter(network)
    base = f"{API}/newsletters/{newsletter.pk}"
    target = newsletter.targets.get()
    assert error_key(admin_client.delete(f"{base}/targets/{target.pk}")) == "newsletter.last_target"
    other_brand = admin_client.post(f"{base}/targets", {"target_type": "network", "target_id": make_network().pk},
                                    format="json")
    assert code(other_brand) == -2 and "target_id" in fields_of(other_brand)
    assert error_key(admin_client.post(f"{base}/targets", {"target_type": "network", "target_id": network.pk},
                                       format="json")) == "newsletter.target_exists"
    bad_operator = admin_client.post(f"{base}/targets/{target.pk}/filters", {
        "filter_type": "visited_station", "filter_value": 1, "operator": ">"}, format="json")
    assert code(bad_operator) == -2
    negative = admin_client.post(f"{base}/targets/{target.pk}/filters", {
        "filter_type": "trip_count", "filter_value": -1, "operator": ">"}, format="json")
    assert code(negative) == -2 and "filter_value" in fields_of(negative)
    assert error_key(admin_client.put(f"{base}/texts/en", {"title": "t", "message": "m"},
                                      format="json")) == "newsletter.wrong_transport"
    custom = admin_client.post(f"{API}/newsletters", {"name": "n", "type": "custom-list", "transport": "mails",
                                                      "target_type": "network", "target_id": network.pk},
                               format="json")
    assert code(custom) == -2 and "target_type" in fields_of(custom)
    empty = make_newsletter(network)
    empty.templates.all().delete()
    assert error_key(admin_client.post(f"{API}/newsletters/{empty.pk}/send", {}, format="json")) == \
        "newsletter.no_content"


def test_a_scoped_caller_sees_only_newsletters_whose_every_target_it_reaches(staff_user, grant_access):
    from apps.core.testing.clients import client_for

    mine, theirs = make_network(), make_network()
    own = make_newsletter(mine)
    mixed = make_newsletter(mine)
    mixed.targets.create(target_type="network", network=theirs)
    make_newsletter(theirs)
    from apps.access.tests.factories import make_unit

    grant_access(staff_user, "emails.newsletters", write=True, where=make_unit(networks=[mine]))
    client = client_for(staff_user)
    assert [n["id"] for n in client.get(f"{API}/newsletters").json()["data"]] == [own.pk]
    assert code(client.get(f"{API}/newsletters/{mixed.pk}")) == -5
    refused = client.post(f"{API}/newsletters/{own.pk}/targets", {"target_type": "network", "target_id": theirs.pk},
                          format="json")
    assert code(refused) == -2 and fields_of(refused)["target_id"][0].startswith("No ")


def test_email_url_spellings(db):
    from fleetadmin.env import email_settings

    assert email_settings("smtp+tls://u:p%40ss@mail.example:587") | {} == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 587, "EMAIL_HOST_USER": "u", "EMAIL_HOST_PASSWORD": "p@ss", "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 30}
    assert email_settings("smtp+ssl://mail.example:465")["EMAIL_USE_SSL"] is True
    assert email_settings("file:/var/mail/fleet") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": "/var/mail/fleet"}
    assert email_settings("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        email_settings("gopher://mail.example")


def test_services_render_a_transactional_mail_in_the_riders_language_or_the_nearest(db):
    label = make_app_label()
    make_content(label, name="refund", lang="en", subject="Refund of {{ amount }}", body="<p>{{ amount }}</p>")
    rendered = services.render_transactional(app_label=label, name="refund", lang="de",
                                             variables={"amount": "5.00", "app_name": "x", "website": ""})
    assert (rendered.subject, rendered.lang) == ("Refund of 5.00", "en") and "<p>5.00</p>" in rendered.html


def test_a_riders_transactional_mail_uses_the_labels_template_in_the_riders_language(sink):
    from apps.riders.tasks import send_rider_message
    from apps.trips.tests.factories import make_rider

    label = _branded_label()
    make_content(label, name="terms-of-use", lang="fr", subject="Conditions v{{ version }}",
                 body='<p>{{ firstname }}, lisez <a href="{{ pdf_url }}">la version {{ version }}</a>.</p>')
    rider = make_rider(app_label=label, language="fr", firstname="Zoé")
    plain = make_rider(firstname="Léo")
    for who, template in ((rider, "terms-of-use"), (plain, "terms-of-use")):
        message = RiderMessage.objects.create(rider=who, channel="email", subject="Our terms change",
                                              body="Version 4 applies.\n\nPlease accept it.", template=template,
                                              variables={"version": 4, "pdf_url": "https://velo.example/t.pdf",
                                                         "secret": "ignored"})
        assert send_rider_message.run(message.pk) == "sent"
    mails = {to[0]: mail for to, mail in sink.parsed()}
    templated, fallback = mails[rider.email], mails[plain.email]
    assert templated["Subject"] == "Conditions v4" and "news@velo.example" in str(templated["From"])
    assert 'Zoé, lisez <a href="https://velo.example/t.pdf">la version 4</a>' in templated.get_body(
        ("html",)).get_content()
    assert fallback["Subject"] == "Our terms change"  # no label, no template: the message's own text
    assert "<p>Please accept it.</p>" in fallback.get_body(("html",)).get_content()
    assert RiderMessage.objects.get(rider=rider).language == "fr"


def test_shards_send_their_share_once_and_the_last_one_marks_the_newsletter_sent(sink):
    network = make_network()
    riders = _riders_for(network, 9)
    newsletter = make_newsletter(network)
    Newsletter.objects.filter(pk=newsletter.pk).update(status=Newsletter.Status.SENDING)
    assert sending.run(newsletter.pk, shard=1, shards=3) == "sending"  # resolved the audience, sent its third
    assert sink.count == 3
    assert sending.run(newsletter.pk, shard=1, shards=3) == "sending"  # a rerun of a done shard sends nothing
    assert sending.run(newsletter.pk, shard=0, shards=3) == "sending"
    assert sending.run(newsletter.pk, shard=2, shards=3) == "sent"
    assert sorted(to[0] for to, _ in sink.parsed()) == sorted(r.email for r in riders)
    with pytest.raises(ValueError):
        sending.run(newsletter.pk, shard=3, shards=3)


@pytest.mark.parametrize("pipelining", [False, True], ids=["one-command-at-a-time", "pipelining"])
def test_refused_mailboxes_fail_and_the_others_arrive_with_or_without_pipelining(settings, db, pipelining):
    with SmtpSink(pipelining=pipelining) as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        settings.EMAIL_RATE_PER_SECOND = 0
        network = make_network()
        riders = _riders_for(network, 3)
        refused = make_member(network, email="refused-mailbox@example.com")
        newsletter = make_newsletter(network)
        Newsletter.objects.filter(pk=newsletter.pk).update(status=Newsletter.Status.SENDING)
        assert sending.run(newsletter.pk) == "sent"
        assert sorted(to[0] for to, _ in server.parsed()) == sorted(r.email for r in riders)
        failed = RiderMessage.objects.get(rider=refused)
        assert failed.status == "failed" and failed.error.startswith("550")
        assert RiderMessage.objects.filter(status="sent").count() == 3
