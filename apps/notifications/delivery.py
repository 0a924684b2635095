"""The notification settings put to work (docs/notifications.md): each setting is checked every `check_interval`
seconds; a check collects the events of its kind in its window and mails them, as one digest, to the setting's
targets.

- The window runs from the end of the last check's (the setting's creation, the first time) to the check's time
  less `check_delay`: only events older than the delay are sent, and one whose condition ended meanwhile (an alert
  resolved, a station back in service) is not: the delay gives a condition the time to end by itself.
- The window's advance and the digest are written in one transaction, with the setting's row locked: an event is in
  one digest per setting, however many workers check at once.
- The mails go after the commit, one per recipient, each recorded as sent in the digest as it is sent
  (transport.deliver_marked): a retry mails only whom the last try did not reach, and a worker that died leaves its
  digest to the next check's sweep.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Func, Q, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.fleet.models import FleetAlert, StationOutage
from apps.mail import transport
from apps.riders.messaging import MessageProviderUnavailable, MessageRefused
from apps.support.models import Report, ReportMessage

from .models import NotificationDigest, NotificationSetting

Type = NotificationSetting.Type

# A worker sending a digest holds it this long; after that, the sweep lets another take it over.
CLAIM = timedelta(minutes=5)
# A digest lists at most this many events, then says how many more its window held.
MAX_LINES = 200
# Tries of one digest before it is left pending for staff to look at (the admin shows its last error).
MAX_ATTEMPTS = 8


def _line(kind: str, row, at: datetime, text: str, admin: str, shown_pk: int | None = None) -> dict:
    """One event of a digest, linked to the admin page that shows it (`admin` names that page's model, whose row
    is `shown_pk`, the event's own by default)."""
    return {"kind": kind, "id": row.pk, "at": at.isoformat(), "text": text[:300],
            "url": settings.SITE_URL + reverse(f"admin:{admin}_change", args=[shown_pk or row.pk])}


def _alerts(setting: NotificationSetting, low: datetime, high: datetime) -> list[dict]:
    """Fleet alerts of the setting's types and severities raised in the window and still open; `vehicle-fault`:
    those about a vehicle only."""
    alerts = (FleetAlert.objects.filter(network_id=setting.network_id, alert_type__in=setting.alert_types,
                                        severity__in=setting.alert_severities, created_at__gt=low,
                                        created_at__lte=high, resolved_at__isnull=True)
              .select_related("vehicle", "cluster").order_by("created_at", "id"))
    if setting.notification_type == Type.VEHICLE_FAULT:
        alerts = alerts.filter(vehicle__isnull=False)
    return [_line("alert", alert, alert.created_at, _alert_text(alert), "fleet_fleetalert")
            for alert in alerts[:MAX_LINES + 1]]


def _alert_text(alert: FleetAlert) -> str:
    """"Critical: Vehicle Fallen (vehicle SN-1) - Fell at the corner": severity, type, what it is about, message."""
    about = (f" (vehicle {alert.vehicle.serial_number})" if alert.vehicle else "") + (
        f" ({alert.cluster.name})" if alert.cluster else "")
    message = f" - {alert.message}" if alert.message else ""
    return f"{alert.get_severity_display()}: {alert.get_alert_type_display()}{about}{message}"


def _outages(setting: NotificationSetting, low: datetime, high: datetime) -> list[dict]:
    """Stations of the network out of service since a moment in the window, and still out."""
    outages = (StationOutage.objects.filter(station__cluster__network_id=setting.network_id, started_at__gt=low,
                                            started_at__lte=high, ended_at__isnull=True)
               .select_related("station__cluster").order_by("started_at", "id"))
    return [_line("outage", outage, outage.started_at,
                  f"Station {outage.station} ({outage.station.cluster.name}) out of service: {outage.reason}",
                  "fleet_station", outage.station_id)
            for outage in outages[:MAX_LINES + 1]]


def _reports(setting: NotificationSetting, low: datetime, high: datetime) -> list[dict]:
    """Riders' support reports about the network opened in the window and not yet resolved."""
    reports = (Report.objects.filter(networks=setting.network_id, created_at__gt=low, created_at__lte=high,
                                     resolved_at__isnull=True).order_by("created_at", "id"))
    return [_line("report", report, report.created_at, f"Report {report.pk}: {report.subject}", "support_report")
            for report in reports[:MAX_LINES + 1]]


def _rider_messages(setting: NotificationSetting, low: datetime, high: datetime) -> list[dict]:
    """Riders' messages written in the window on reports about the network (not the support team's, not deleted)."""
    messages = (ReportMessage.objects.filter(report__networks=setting.network_id, from_support=False,
                                             deleted_at__isnull=True, created_at__gt=low, created_at__lte=high)
                .select_related("report").order_by("created_at", "id"))
    return [_line("message", message, message.created_at,
                  f"On report {message.report_id} ({message.report.subject}): {message.message or '(an image)'}",
                  "support_report", message.report_id)
            for message in messages[:MAX_LINES + 1]]


EVENTS = {Type.FLEET_ALERT: _alerts, Type.VEHICLE_FAULT: _alerts, Type.STATION_DOWN: _outages,
          Type.SUPPORT_REPORT: _reports, Type.SUPPORT_MESSAGE: _rider_messages}


def recipients_of(setting: NotificationSetting) -> list[str]:
    """The addresses a setting mails now: its external ones, and its users' while they are active staff (a user
    who left the staff, or was deactivated, is told nothing more)."""
    addresses = set()
    for target in setting.targets.select_related("user"):
        if target.email:
            addresses.add(target.email)
        elif target.user.is_active and target.user.is_staff and target.user.email:
            addresses.add(target.user.email)
    return sorted(addresses)


def next_check_at(setting: NotificationSetting) -> datetime:
    """When the setting is checked next: `check_interval` after its last check (whose time, less the delay, is
    `checked_until`), or once its creation is `check_delay` old."""
    delay = timedelta(seconds=setting.check_delay)
    if setting.checked_until is None:
        return setting.created_at + delay
    return setting.checked_until + delay + timedelta(seconds=setting.check_interval)


def notification_check(*, setting_id: int, now: datetime | None = None) -> NotificationDigest | None:
    """Check one setting if it is due: collect its window's events, move `checked_until` to the window's end and,
    if there is anything to tell and anyone to tell it to, write the digest, mailed after the commit. None when not
    due, when another worker holds the setting, or when the window held nothing for anyone."""
    # The tasks import this module.
    from .tasks import send_notification_digest

    now = now or timezone.now()
    with transaction.atomic():
        setting = (NotificationSetting.objects.select_for_update(of=("self",), skip_locked=True)
                   .select_related("network").filter(pk=setting_id).first())
        if setting is None or now < next_check_at(setting):
            return None
        low = setting.checked_until or setting.created_at
        high = now - timedelta(seconds=setting.check_delay)
        NotificationSetting.objects.filter(pk=setting.pk).update(checked_until=high)  # no updated_at: staff's edits
        lines = EVENTS[setting.notification_type](setting, low, high)
        recipients = recipients_of(setting)
        if not lines or not recipients:
            return None
        more = len(lines) > MAX_LINES
        lines = lines[:MAX_LINES]
        subject = (f"{'More than ' if more else ''}{len(lines)} {setting.get_notification_type_display()} "
                   f"notification{'s' if len(lines) > 1 or more else ''} on {setting.network.name}")
        digest = NotificationDigest.objects.create(setting=setting, window_start=low, window_end=high,
                                                   subject=subject[:200], lines=lines, truncated=more,
                                                   recipients=recipients)
        transaction.on_commit(lambda: send_notification_digest.delay(digest.pk))
        return digest


def due_settings(*, now: datetime | None = None) -> list[int]:
    """The settings whose check is due (with at least one target)."""
    now = now or timezone.now()
    return [setting.pk for setting in NotificationSetting.objects.filter(targets__isnull=False).distinct()
            .order_by("pk") if next_check_at(setting) <= now]


def stalled_digests(*, now: datetime | None = None) -> list[int]:
    """Digests left pending by a worker that died or a provider that stayed down (their claim run out), which have
    tries left."""
    now = now or timezone.now()
    return list(NotificationDigest.objects.filter(state=NotificationDigest.State.PENDING, attempts__lt=MAX_ATTEMPTS)
                .filter(Q(claimed_until__isnull=True, created_at__lt=now - CLAIM) | Q(claimed_until__lt=now))
                .order_by("pk").values_list("pk", flat=True))


def _claim(digest_id: int, now: datetime) -> NotificationDigest | None:
    """Take the digest for this worker (one try more), unless it is sent or another worker holds it."""
    with transaction.atomic():
        digest = (NotificationDigest.objects.select_for_update(of=("self",), skip_locked=True)
                  .select_related("setting__network").filter(pk=digest_id).first())
        if (digest is None or digest.state != NotificationDigest.State.PENDING
                or (digest.claimed_until is not None and digest.claimed_until > now)):
            return None
        digest.claimed_until, digest.attempts = now + CLAIM, digest.attempts + 1
        digest.save(update_fields=["claimed_until", "attempts"])
        return digest


def _append(digest_id: int, column: str, address: str, **changes) -> None:
    NotificationDigest.objects.filter(pk=digest_id).update(
        **{column: Func(F(column), Value(address), function="array_append")}, **changes)


def notification_digest_send(*, digest_id: int, now: datetime | None = None) -> str | None:
    """Mail a digest to each of its recipients not yet reached; its state afterwards (None: not this worker's to
    send). The provider unreachable: MessageProviderUnavailable, for the task to retry; what was sent stays sent."""
    digest = _claim(digest_id, now or timezone.now())
    if digest is None:
        return None
    html = render_to_string("notifications/digest.html", {"digest": digest, "network": digest.setting.network})
    backend = get_connection()
    try:
        backend.open()
    except OSError as exc:
        _release(digest.pk, str(exc))
        raise MessageProviderUnavailable(str(exc)) from exc
    try:
        for address in digest.recipients:
            if address in digest.sent_to or address in digest.refused:
                continue
            mail = transport.build(subject=digest.subject, html=html, to=address,
                                   sender=settings.DEFAULT_FROM_EMAIL)
            try:
                transport.deliver_marked(mail, backend, lambda address=address: _append(digest.pk, "sent_to", address))
            except MessageRefused as exc:
                _append(digest.pk, "refused", address, last_error=str(exc)[:500])
            except (MessageProviderUnavailable, transport.Unconfirmed) as exc:
                _release(digest.pk, str(exc))
                raise MessageProviderUnavailable(str(exc)) from exc
    finally:
        backend.close()
    digest.refresh_from_db(fields=["sent_to", "refused"])
    state = NotificationDigest.State.SENT if digest.sent_to else NotificationDigest.State.FAILED
    NotificationDigest.objects.filter(pk=digest.pk).update(state=state, sent_at=timezone.now(), claimed_until=None)
    return state


def _release(digest_id: int, error: str) -> None:
    """Give the digest back (the retry, or the sweep, takes it again), with why this try stopped."""
    NotificationDigest.objects.filter(pk=digest_id).update(claimed_until=None, last_error=error[:500])
