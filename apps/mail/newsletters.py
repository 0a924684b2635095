"""Writes on newsletters: targets and their filters, texts and templates per language, test sends, sending now or
at a planned hour, cancelling; and their statistics. Only a draft is edited; sending starts the job after commit."""
from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed
from apps.riders.models import RiderMessage

from . import catalog, rendering, services
from .models import (MailingList, Newsletter, NewsletterDelivery, NewsletterTarget, NewsletterTargetFilter,
                     NewsletterTemplate, NewsletterText, Subscription)
from .sending import Personalizer
from .tasks import dispatch


def brand_of(target_type: str, target):
    """The app label a target belongs to (None for an organization: its members may use any app)."""
    if target_type == NewsletterTarget.Type.APP_LABEL:
        return target
    if target_type == NewsletterTarget.Type.ORGANIZATION:
        return None
    return target.app_label


def _check_target(newsletter: Newsletter, target_type: str, target) -> None:
    if newsletter.type == Newsletter.Type.CUSTOM_LIST and target_type != NewsletterTarget.Type.MAILING_LIST:
        raise ValidationFailed.on("target_type", "A custom-list newsletter targets mailing lists only.")
    brand = brand_of(target_type, target)
    if brand is not None and newsletter.app_label_id is not None and brand.pk != newsletter.app_label_id:
        raise ValidationFailed.on("target_id", f"The newsletter is sent under {newsletter.app_label}; this target "
                                               f"belongs to {brand}.")


def _add_target(newsletter: Newsletter, target_type: str, target) -> NewsletterTarget:
    _check_target(newsletter, target_type, target)
    field = NewsletterTarget.FIELDS[target_type]
    if newsletter.targets.filter(target_type=target_type, **{field: target}).exists():
        raise BusinessRuleViolation("newsletter.target_exists", "The newsletter already has this target.")
    return NewsletterTarget.objects.create(newsletter=newsletter, target_type=target_type, **{field: target})


@transaction.atomic
def newsletter_create(*, name: str, type: str, transport: str, target_type: str, target, actor) -> Newsletter:
    newsletter = Newsletter.objects.create(name=name, type=type, transport=transport, created_by=actor,
                                           app_label=brand_of(target_type, target))
    _add_target(newsletter, target_type, target)
    return newsletter


def _editable(newsletter: Newsletter) -> Newsletter:
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if not newsletter.editable:
        raise BusinessRuleViolation("newsletter.not_editable", f"The newsletter is {newsletter.status}; only a draft "
                                                               "can be changed.")
    return newsletter


@transaction.atomic
def target_add(*, newsletter: Newsletter, target_type: str, target) -> NewsletterTarget:
    return _add_target(_editable(newsletter), target_type, target)


@transaction.atomic
def target_delete(*, newsletter: Newsletter, target_id: int) -> None:
    newsletter = _editable(newsletter)
    target = newsletter.targets.filter(pk=target_id).first()
    if target is None:
        raise NotFound(f"No target {target_id} in this newsletter.")
    if newsletter.targets.count() == 1:
        raise BusinessRuleViolation("newsletter.last_target", "A newsletter keeps at least one target; add another "
                                                              "first.")
    target.delete()


@transaction.atomic
def filter_add(*, newsletter: Newsletter, target_id: int, filter_type: str, operator: str,
               value: int) -> NewsletterTargetFilter:
    newsletter = _editable(newsletter)
    target = newsletter.targets.filter(pk=target_id).first()
    if target is None:
        raise NotFound(f"No target {target_id} in this newsletter.")
    if filter_type == NewsletterTargetFilter.Type.VISITED_STATION:
        if operator != "=":
            raise ValidationFailed.on("operator", "A visited station is compared with = (the cluster's id).")
    elif value < 0:
        raise ValidationFailed.on("filter_value", "Counts, distances and durations are 0 or more.")
    return NewsletterTargetFilter.objects.create(target=target, filter_type=filter_type, operator=operator,
                                                 value=value)


@transaction.atomic
def filter_delete(*, newsletter: Newsletter, target_id: int, filter_id: int) -> None:
    _editable(newsletter)
    if not NewsletterTargetFilter.objects.filter(pk=filter_id, target_id=target_id,
                                                 target__newsletter=newsletter).delete()[0]:
        raise NotFound(f"No filter {filter_id} on target {target_id} of this newsletter.")


def _transport(newsletter: Newsletter, transport: str) -> None:
    if newsletter.transport != transport:
        what = "templates (mails)" if transport == Newsletter.Transport.MAILS else "texts (push notifications)"
        raise BusinessRuleViolation("newsletter.wrong_transport", f"This newsletter is sent by {newsletter.transport}; "
                                                                  f"it has no {what}.")


@transaction.atomic
def template_upsert(*, newsletter: Newsletter, lang: str, subject: str, design: str, html: str) -> NewsletterTemplate:
    newsletter = _editable(newsletter)
    _transport(newsletter, Newsletter.Transport.MAILS)
    rendering.check(subject, catalog.NEWSLETTER_VARIABLES, "subject")
    rendering.check(html, catalog.NEWSLETTER_VARIABLES, "html")
    return NewsletterTemplate.objects.update_or_create(
        newsletter=newsletter, lang=services.language(lang=lang),
        defaults={"subject": subject, "design": design, "html": html})[0]


@transaction.atomic
def text_upsert(*, newsletter: Newsletter, lang: str, title: str, message: str) -> NewsletterText:
    newsletter = _editable(newsletter)
    _transport(newsletter, Newsletter.Transport.PUSH)
    rendering.check(title, catalog.NEWSLETTER_VARIABLES, "title")
    rendering.check(message, catalog.NEWSLETTER_VARIABLES, "message")
    return NewsletterText.objects.update_or_create(newsletter=newsletter, lang=services.language(lang=lang),
                                                   defaults={"title": title, "message": message})[0]


@transaction.atomic
def language_delete(*, newsletter: Newsletter, model, lang: str) -> None:
    newsletter = _editable(newsletter)
    if not model.objects.filter(newsletter=newsletter, lang=lang.lower()).delete()[0]:
        raise NotFound(f"The newsletter has no {model._meta.verbose_name} in {lang}.")


def _has_content(newsletter: Newsletter) -> bool:
    model = NewsletterTemplate if newsletter.transport == Newsletter.Transport.MAILS else NewsletterText
    return model.objects.filter(newsletter=newsletter).exists()


@transaction.atomic
def newsletter_send(*, newsletter: Newsletter, planned_send_date=None) -> Newsletter:
    newsletter = _editable(newsletter)
    if not _has_content(newsletter):
        what = "a template" if newsletter.transport == Newsletter.Transport.MAILS else "a text"
        raise BusinessRuleViolation("newsletter.no_content", f"Give the newsletter {what} in one language first.")
    if planned_send_date is not None:
        if planned_send_date <= timezone.now():
            raise ValidationFailed.on("planned_send_date", "Must be in the future.")
        if (planned_send_date.minute, planned_send_date.second, planned_send_date.microsecond) != (0, 0, 0):
            raise ValidationFailed.on("planned_send_date", "Must be a whole hour (minutes and seconds 0).")
        newsletter.status, newsletter.planned_send_date = Newsletter.Status.PLANNED, planned_send_date
    else:
        newsletter.status = Newsletter.Status.SENDING
        transaction.on_commit(lambda: dispatch(newsletter.pk))
    newsletter.save(update_fields=["status", "planned_send_date", "updated_at"])
    return newsletter


@transaction.atomic
def newsletter_cancel(*, newsletter: Newsletter) -> int:
    """Stops a planned or sending newsletter: the mails not handed to the server yet are dropped (a running job sees
    the status at its next mail and stops). Returns how many were dropped."""
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if newsletter.status not in (Newsletter.Status.PLANNED, Newsletter.Status.SENDING):
        raise BusinessRuleViolation("newsletter.not_cancellable", f"The newsletter is {newsletter.status}.")
    newsletter.status, newsletter.cancelled_at = Newsletter.Status.CANCELLED, timezone.now()
    newsletter.save(update_fields=["status", "cancelled_at", "updated_at"])
    return RiderMessage.objects.filter(delivery__newsletter=newsletter, status=RiderMessage.Status.QUEUED).delete()[0]


def send_test(*, newsletter: Newsletter, lang: str | None, actor) -> RiderMessage:
    """The newsletter in `lang` (else the nearest language it has) to the caller, now."""

    personalizer = Personalizer(newsletter)
    lang = (lang or actor.language or "en").lower()
    push = newsletter.transport == Newsletter.Transport.PUSH
    try:
        if push:
            return personalizer.push_to(actor, lang, sent_by=actor)
        rendered, headers = personalizer.mail_for(actor, lang, message_id=None)
    except rendering.RenderFailed as exc:
        raise BusinessRuleViolation("mail.render_failed", f"The template does not render: {exc}") from None
    except LookupError:
        raise BusinessRuleViolation("newsletter.no_content", "Give the newsletter "
                                    f"{'a text' if push else 'a template'} first.") from None
    return services.send_now(recipient=actor, rendered=rendered, app_label=newsletter.app_label,
                             template=f"newsletter:{newsletter.pk}", images=personalizer.images, headers=headers)


def statistics(newsletter: Newsletter) -> dict:
    Status = RiderMessage.Status
    counts = NewsletterDelivery.objects.filter(newsletter=newsletter).aggregate(
        targeted=Count("pk"),
        sent=Count("pk", filter=Q(message__status=Status.SENT)),
        failed=Count("pk", filter=Q(message__status=Status.FAILED)),
        unconfirmed=Count("pk", filter=Q(message__status=Status.UNCONFIRMED)),
        pending=Count("pk", filter=Q(message__status=Status.QUEUED)),
        opened=Count("pk", filter=Q(message__opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(message__clicked_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    sent = counts["sent"]
    counts.update({f"{what}_rate": round(counts[what] / sent, 4) if sent else 0.0
                   for what in ("opened", "clicked", "unsubscribed")})
    counts["audience_size"] = newsletter.audience_size
    return counts


def unsubscribe(delivery: NewsletterDelivery) -> None:
    """The rider leaves what brought this newsletter: the brand's marketing lists, its network-status mails, or the
    targeted lists. Idempotent (a second click changes nothing)."""
    now = timezone.now()
    newsletter = delivery.newsletter
    with transaction.atomic():
        NewsletterDelivery.objects.filter(pk=delivery.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=now)
        if newsletter.type == Newsletter.Type.CUSTOM_LIST:
            lists = MailingList.objects.filter(pk__in=newsletter.targets.values("mailing_list_id"))
        else:
            kind = (MailingList.Kind.MARKETING if newsletter.type == Newsletter.Type.MARKETING
                    else MailingList.Kind.NETWORK_STATUS)
            lists = MailingList.objects.filter(kind=kind, app_label_id=newsletter.app_label_id or
                                               delivery.rider.app_label_id)
            if kind == MailingList.Kind.NETWORK_STATUS and not lists.exists() and (
                    newsletter.app_label_id or delivery.rider.app_label_id):
                MailingList.objects.get_or_create(app_label_id=newsletter.app_label_id or delivery.rider.app_label_id,
                                                  name="Network status", kind=kind)
        for mailing_list in lists:
            subscription, created = Subscription.objects.get_or_create(
                mailing_list=mailing_list, rider_id=delivery.rider_id,
                defaults={"subscribed_at": now, "unsubscribed_at": now})
            if not created and subscription.unsubscribed_at is None:
                subscription.unsubscribed_at = now
                subscription.save(update_fields=["unsubscribed_at"])


@transaction.atomic
def resend_unconfirmed(*, newsletter: Newsletter) -> int:
    """Staff's choice to queue again the mails whose delivery the server never confirmed (maybe a duplicate for some
    riders); the job sends them. Returns how many."""

    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    count = RiderMessage.objects.filter(delivery__newsletter=newsletter,
                                        status=RiderMessage.Status.UNCONFIRMED).update(status=RiderMessage.Status.QUEUED,
                                                                                       error="")
    if not count:
        raise BusinessRuleViolation("newsletter.nothing_unconfirmed", "No mail of this newsletter is unconfirmed.")
    newsletter.status = Newsletter.Status.SENDING
    newsletter.save(update_fields=["status", "updated_at"])
    transaction.on_commit(lambda: dispatch(newsletter.pk))
    return count
