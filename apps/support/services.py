"""Writes on support reports (one transaction, the report locked; rules raise -6)."""
from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation, NotFound
from apps.core.images import read_image, store_image
from apps.riders.services import record_activity

from .models import Report, ReportMessage


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def report_open(*, rider, subject: str, message: str, networks=()) -> Report:
    """A rider opens a report (from the app; the demo and tests use it too); its networks count as interactions."""
    now = timezone.now()
    report = Report.objects.create(rider=rider, subject=subject, last_message_at=now)
    report.networks.set(networks)
    ReportMessage.objects.create(report=report, author=rider, from_support=False, message=message)
    for network in networks:
        record_activity(rider_id=rider.pk, network_id=network.pk, at=now)
    return report


@transaction.atomic
def report_resolve(*, report: Report, actor) -> Report:
    report = _locked(report)
    if report.resolved_at is not None:
        raise BusinessRuleViolation("report.resolved", "This report is already resolved.")
    report.resolved_at, report.resolved_by = timezone.now(), actor
    report.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    return report


def _reopened(report: Report) -> None:
    # A message on a resolved report reopens it, as in any helpdesk: the conversation is not over.
    report.resolved_at, report.resolved_by, report.last_message_at = None, None, timezone.now()
    report.save(update_fields=["resolved_at", "resolved_by", "last_message_at", "updated_at"])


@transaction.atomic
def message_send(*, report: Report, actor, message: str = "", page: str = "") -> ReportMessage:
    report = _locked(report)
    sent = ReportMessage.objects.create(report=report, author=actor, from_support=True, message=message, page=page)
    _reopened(report)
    return sent


@transaction.atomic
def image_send(*, report: Report, actor, chat_image) -> ReportMessage:
    report = _locked(report)
    image = read_image(chat_image, "chat_image")
    sent = store_image(image, "reportimages", lambda key: ReportMessage.objects.create(
        report=report, author=actor, from_support=True, image_key=key, image_content_type=image.content_type))
    _reopened(report)
    return sent


def _support_message(report: Report, message_id: int) -> ReportMessage:
    message = (ReportMessage.objects.select_for_update()
               .filter(report=report, pk=message_id, deleted_at__isnull=True).first())
    if message is None:
        raise NotFound(f"No message {message_id} in this report.")
    if not message.from_support:
        raise BusinessRuleViolation("report_message.from_rider", "Only the support team's messages can be changed.")
    return message


@transaction.atomic
def message_edit(*, report: Report, message_id: int, message: str) -> ReportMessage:
    edited = _support_message(_locked(report), message_id)
    if edited.image_key:
        raise BusinessRuleViolation("report_message.image", "An image cannot be edited; delete it and send another.")
    edited.message, edited.edited_at = message, timezone.now()
    edited.save(update_fields=["message", "edited_at", "updated_at"])
    return edited


@transaction.atomic
def message_delete(*, report: Report, message_id: int) -> None:
    deleted = _support_message(_locked(report), message_id)
    key = deleted.image_key
    deleted.message, deleted.page, deleted.image_key, deleted.image_content_type = "", "", "", ""
    deleted.deleted_at = timezone.now()
    deleted.save(update_fields=["message", "page", "image_key", "image_content_type", "deleted_at", "updated_at"])
    if key:
        transaction.on_commit(lambda: default_storage.delete(key))


@transaction.atomic
def network_link(*, report: Report, network) -> None:
    report = _locked(report)
    if report.networks.filter(pk=network.pk).exists():
        raise BusinessRuleViolation("report.network_linked", "The report is already linked to this network.")
    report.networks.add(network)
    record_activity(rider_id=report.rider_id, network_id=network.pk, at=timezone.now())


@transaction.atomic
def network_unlink(*, report: Report, network_id: int) -> None:
    report = _locked(report)
    if not report.networks.filter(pk=network_id).exists():
        raise NotFound(f"The report is not linked to network {network_id}.")
    report.networks.remove(network_id)


def erase_reports_of(*, rider) -> None:
    """Erasure: the rider's reports keep their place (counts), without the rider's words or images."""
    messages = ReportMessage.objects.filter(report__rider=rider)
    keys = [k for k in messages.exclude(image_key="").values_list("image_key", flat=True)]
    messages.update(message="", page="", image_key="", image_content_type="", updated_at=timezone.now())
    Report.objects.filter(rider=rider).update(subject="(erased)", updated_at=timezone.now())
    transaction.on_commit(lambda: [default_storage.delete(key) for key in keys])
