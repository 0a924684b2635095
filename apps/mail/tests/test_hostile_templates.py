"""Hostile templates and rider values (issue 34): what a template costs is bounded when it is saved and when it is
rendered; rider values are always escaped in HTML, by every filter and tag; subjects are plain text; the text part
keeps its links; a push test without content is a clear error."""
import contextlib
import signal

import pytest

from apps.applabels.tests.factories import make_app_label
from apps.core.testing.responses import code, error_key, fields_of
from apps.mail import rendering, services, transport
from apps.mail.models import MailTemplateContent

from .factories import languages, make_newsletter

API = "/api/dashboard/v1"
ALLOWED = frozenset({"firstname", "lastname"})
HOSTILE = "<script>alert(1)</script><b>O'Brien</b> & \"Co\" http://x.example/?a=1&b=<i>"


@contextlib.contextmanager
def within(seconds: float):
    """Fails the test if the block runs longer (a cost that was not bounded), instead of hanging the suite."""
    def expired(*_):
        raise AssertionError(f"took more than {seconds} s: the cost is not bounded")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


COSTLY = [
    "{{ 10**100000000 }}", "{{ 9**9**9**9 }}", "{{ (10**15)**64 }}", "{{ 2**-99999999 }}", "{{ 'a'*10**9 }}",
    "{{ firstname*10**8 }}", "{{ (firstname ~ 'x')*999999 }}", "{{ [1]*10**9 }}", "{{ 10**15*10**15 }}",
    "{{ '%999999999d' % 1 }}", "{{ firstname|replace('', 'x'*100000) }}", "{{ 'ab'*99999 + 'ab'*99999 }}",
    "{{ 10**15 // 10**-1 }}",
]
REFUSED_AT_SAVING = [
    ("{% for a in firstname %}{% for b in firstname %}{{ a }}{% endfor %}{% endfor %}", "loops"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "macros"),
    ("{% filter upper %}{{ firstname }}{% endfilter %}", "filter blocks"),
    ("{{ firstname|center(999999999) }}", "center"),
    ("{{ firstname|wordwrap(999999999) }}", "wordwrap"),
    ("{{ '%s'|format(firstname) }}", "format"),
    ("{{ firstname|batch(999999999) }}", "batch"),
    ("{{ lipsum(999999) }}", "lipsum"),
    ("{{ firstname|safe }}", "safe"),
    ("{% autoescape false %}{{ firstname }}{% endautoescape %}", "autoescape"),
]


@pytest.mark.parametrize("source", COSTLY)
def test_a_costly_expression_is_cheap_to_save_and_refused_when_rendered(source):
    with within(2):
        rendering.check(source, ALLOWED, "html")  # saving compiles it: nothing is evaluated then
        with pytest.raises(rendering.RenderFailed):
            rendering.render(source, {"firstname": "a" * 255, "lastname": ""})


@pytest.mark.parametrize("source, named", REFUSED_AT_SAVING)
def test_what_escapes_the_bounds_or_the_escaping_is_refused_when_saved(source, named):
    with within(2), pytest.raises(Exception) as refused:
        rendering.check(source, ALLOWED, "html")
    assert named in str(refused.value.fields["html"][0]), refused.value.fields


@pytest.mark.parametrize("source, named", REFUSED_AT_SAVING[:2] + REFUSED_AT_SAVING[-2:])
def test_the_api_refuses_them_with_the_field_named(admin_client, source, named):
    languages()
    label = make_app_label()
    response = admin_client.put(f"{API}/app-labels/{label.pk}/mail-templates/welcome", {
        "lang": "en", "contents": [{"key": "body", "value": source}]}, format="json")
    assert code(response) == -2 and named in fields_of(response)["contents"][0], response.json()
    assert not MailTemplateContent.objects.filter(app_label=label).exists()


def test_the_output_is_bounded_whatever_the_template():
    source = "{{ firstname|replace('a', 'bbbbbbbbbb') }}" * 200  # each fine, together too long
    with pytest.raises(rendering.RenderFailed, match="longer than"):
        rendering.render(source, {"firstname": "a" * 255})


@pytest.mark.parametrize("name", rendering.FILTERS)
def test_every_filter_leaves_a_riders_value_escaped(name):
    arguments = {"replace": "('&', '&')", "truncate": "(500)", "round": "", "default": "('x')", "d": "('x')"}
    source = f"<p>{{{{ lastname|{name}{arguments.get(name, '')} }}}}</p>"
    rendering.check(source, ALLOWED, "html")
    try:
        shown = rendering.render(source, {"firstname": "", "lastname": HOSTILE})
    except rendering.RenderFailed:
        return  # a number filter on a text: refused, nothing shown
    for raw in ("<script", "<b>", "<i>", '"Co"'):
        assert raw not in shown, (name, shown)


@pytest.mark.parametrize("source", [
    "{{ firstname }}", "{% set x = firstname %}{{ x }}", "{% with y = firstname %}{{ y }}{% endwith %}",
    "{% if firstname %}{{ firstname }}{% endif %}", "{{ firstname ~ '!' }}", "{{ firstname if 1 else '' }}",
    "{{ firstname|e|e }}", "{{ firstname|striptags|e }}",
])
def test_every_tag_leaves_a_riders_value_escaped(source):
    shown = rendering.render(source, {"firstname": HOSTILE})
    assert "<script" not in shown and "<b>" not in shown


def test_subjects_are_plain_text_and_the_layout_escapes_them_once(db):
    languages()
    label = make_app_label()
    MailTemplateContent.objects.create(app_label=label, name="welcome", lang="en", is_draft=False,
                                       contents={"subject": "Welcome {{ firstname }}", "body": "<p>Hi</p>"})
    rendered = services.render_transactional(app_label=label, name="welcome", lang="en",
                                             variables={"firstname": "O'Brien & <Co>", "lastname": "",
                                                        "app_name": "Bikes", "website": ""})
    assert rendered.subject == "Welcome O'Brien & <Co>"
    assert "Welcome O&#39;Brien &amp; &lt;Co&gt;" in rendered.html and "&amp;#39;" not in rendered.html


def test_the_text_part_keeps_every_link_with_its_label():
    html = ('<p>Hi <a href="https://x.example/read?a=1&amp;b=2">Read it</a></p>'
            '<p><a href="https://x.example/u/1">https://x.example/u/1</a> · <a href=\'https://x.example/u\'>'
            'Unsubscribe</a> <a href="javascript:alert(1)">bad</a></p>')
    text = transport.to_text(html)
    assert "Read it (https://x.example/read?a=1&b=2)" in text
    assert "Unsubscribe (https://x.example/u)" in text and "https://x.example/u/1 ·" in text
    assert "javascript" not in text and "bad" in text


def test_message_ids_are_unguessable_and_under_the_sites_domain(settings):
    settings.SITE_URL = "https://bikes.example.org"
    first, second = transport.message_id(), transport.message_id()
    assert first != second and first.endswith("@bikes.example.org>") and len(first) > 40


def test_testing_a_push_newsletter_without_content_is_a_clear_error(admin_client, db):
    newsletter = make_newsletter(transport="push")
    newsletter.texts.all().delete()
    response = admin_client.post(f"{API}/newsletters/{newsletter.pk}/test", {}, format="json")
    assert response.status_code == 409 and error_key(response) == "newsletter.no_content"
