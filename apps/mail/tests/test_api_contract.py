"""The 33 mail operations through the generated contract: envelope, schema, access matrix, validation."""
from apps.applabels.tests.factories import make_app_label
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.fleet.tests.factories import make_cluster
from apps.mail.models import MailLayout, NewsletterTargetFilter
from apps.networks.tests.factories import make_network
from apps.riders.tests.factories import make_member

from .factories import languages, make_content, make_list, make_newsletter, png_upload


def _label(**extra):
    def build():
        label = make_app_label()
        return Request(path_params={"app_label_id": label.pk, **extra})
    return build


def _with_content(draft=False, **extra):
    def build():
        content = make_content(draft=draft)
        return Request(path_params={"app_label_id": content.app_label_id, "template_name": "welcome", **extra})
    return build


def _with_draft_layout():
    label = make_app_label()
    MailLayout.objects.create(app_label=label, is_draft=True, html="<div>{{ content }}</div>")
    return Request(path_params={"app_label_id": label.pk})


def _with_label_image():
    label = make_app_label()
    from apps.mail import services

    services.image_add(upload=png_upload(), app_label=label)
    return Request(path_params={"app_label_id": label.pk})


def _with_list():
    label = make_app_label()
    make_list(label)
    return Request(path_params={"app_label_id": label.pk})


def _newsletter(**extra):
    def build():
        newsletter = make_newsletter()
        make_member(newsletter.targets.get().network)
        return Request(path_params={"newsletter_id": newsletter.pk, **extra})
    return build


def _newsletter_body(body, **extra):
    def build():
        request = _newsletter(**extra)()
        request.body = body() if callable(body) else body
        return request
    return build


def _two_targets():
    newsletter = make_newsletter()
    target = newsletter.targets.create(target_type="network", network=make_network(
        app_label=newsletter.app_label))
    return Request(path_params={"newsletter_id": newsletter.pk, "target_id": target.pk})


def _with_filter():
    newsletter = make_newsletter()
    target = newsletter.targets.get()
    item = NewsletterTargetFilter.objects.create(target=target, filter_type="trip_count", operator=">", value=1)
    return Request(path_params={"newsletter_id": newsletter.pk, "target_id": target.pk, "filter_id": item.pk})


def _another_network():
    newsletter = make_newsletter()
    network = make_network(app_label=newsletter.app_label)
    return Request(path_params={"newsletter_id": newsletter.pk},
                   body={"target_type": "network", "target_id": network.pk})


def _push_newsletter(**extra):
    newsletter = make_newsletter(transport="push")
    return Request(path_params={"newsletter_id": newsletter.pk, **extra})


def _newsletter_image():
    newsletter = make_newsletter()
    from apps.mail import services

    services.image_add(upload=png_upload(), newsletter=newsletter)
    return Request(path_params={"newsletter_id": newsletter.pk})


def _visited_station_filter():
    newsletter = make_newsletter()
    target = newsletter.targets.get()
    cluster = make_cluster(network=target.network)
    return Request(path_params={"newsletter_id": newsletter.pk, "target_id": target.pk},
                   body={"filter_type": "visited_station", "filter_value": cluster.pk, "operator": "="})


def _create_body():
    network = make_network()
    return Request(body={"name": "Winter closure", "type": "network-status", "transport": "mails",
                         "target_type": "network", "target_id": network.pk})


def _test_mail():
    request = _with_content()()
    request.body = {"lang": "en", "draft": False, "variables": {"firstname": "Zoé"}}
    return request


def _update_content():
    languages()
    request = _label(template_name="password-reset")()
    request.body = {"lang": "fr", "contents": [{"key": "subject", "value": "Nouveau mot de passe"},
                                               {"key": "body", "value": '<a href="{{ reset_url }}">Choisir</a>'}]}
    return request


CASES = [
    OperationCase("listMailTemplateNames"),
    OperationCase("getMailTemplateBase", _label()),
    OperationCase("updateMailTemplateBase", lambda: Request(
        path_params=_label()().path_params, body={"design": "{}", "html": "<main>{{ content }}</main>"})),
    OperationCase("getMailTemplateContent", _with_content()),
    OperationCase("updateMailTemplateContent", _update_content),
    OperationCase("listMailTemplateContentLangs", _with_content()),
    OperationCase("deleteMailTemplateContentLang", _with_content(lang="en")),
    # The variables are rendered into the mail at once; the message row keeps the mail, not them.
    OperationCase("sendTestMail", _test_mail, not_stored=("variables",)),
    OperationCase("listMailTemplateImages", _with_label_image),
    OperationCase("uploadMailTemplateImage", lambda: Request(path_params=_label()().path_params,
                                                             body={"image": png_upload()})),
    OperationCase("promoteMailTemplateBaseDraft", _with_draft_layout),
    OperationCase("deleteMailTemplateBaseDraft", _with_draft_layout),
    OperationCase("promoteMailTemplateContentDraft", _with_content(draft=True)),
    OperationCase("deleteMailTemplateContentDraft", _with_content(draft=True)),
    OperationCase("listMailingLists", _with_list),
    OperationCase("listNewsletters", lambda: (make_newsletter(), Request())[1]),
    OperationCase("createNewsletter", _create_body),
    OperationCase("getNewsletter", _newsletter()),
    OperationCase("sendNewsletter", _newsletter_body({})),
    OperationCase("sendNewsletterTest", _newsletter_body({"lang": "en"})),
    OperationCase("addNewsletterTarget", _another_network),
    OperationCase("deleteNewsletterTarget", _two_targets),
    OperationCase("addNewsletterTargetFilter", _visited_station_filter),
    OperationCase("deleteNewsletterTargetFilter", _with_filter),
    OperationCase("getNewsletterTemplate", _newsletter(lang="en")),
    OperationCase("upsertNewsletterTemplate", _newsletter_body(
        {"subject": "Bonjour {{ firstname }}", "design": "{}", "html": "<p>Salut {{ firstname }}</p>"}, lang="fr")),
    OperationCase("deleteNewsletterTemplate", _newsletter(lang="en")),
    OperationCase("getNewsletterText", lambda: _push_newsletter(lang="en")),
    OperationCase("upsertNewsletterText", lambda: Request(path_params=_push_newsletter(lang="fr").path_params,
                                                          body={"title": "Info", "message": "Bonjour"})),
    OperationCase("deleteNewsletterText", lambda: _push_newsletter(lang="en")),
    OperationCase("listNewsletterImages", _newsletter_image),
    OperationCase("uploadNewsletterImage", _newsletter_body(lambda: {"image": png_upload()})),
    OperationCase("getNewsletterStatistics", _newsletter()),
]

globals().update(contract_tests(CASES))


def test_every_mail_operation_has_a_case():
    from apps.core.catalog import dashboard_operations

    tags = ("MailTemplates", "Newsletters", "MailingLists")
    assert {c.operation_id for c in CASES} == {o.operation_id for o in dashboard_operations().values() if o.tag in tags}
