"""The notification settings put to work: checks at their interval, events older than the delay and still open, one
digest per window mailed to each target once (apps.notifications.delivery)."""
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from apps.fleet.models import FleetAlert, StationOutage
from apps.fleet.tests.factories import make_alert, make_cluster, make_station, make_vehicle
from apps.networks.tests.factories import make_network
from apps.notifications import delivery
from apps.notifications.delivery import notification_check, notification_digest_send
from apps.notifications.models import NotificationDigest, NotificationSetting, NotificationTarget
from apps.notifications.tasks import check_notification_settings
from apps.riders.messaging import MessageProviderUnavailable, MessageRefused
from apps.support.services import message_send
from apps.support.tests.factories import make_report

from .test_notifications import make_setting, make_staff

START = timezone.now().replace(microsecond=0) - timedelta(hours=2)


def at(minutes: float):
    return START + timedelta(minutes=minutes)


def setting_with_targets(*, network=None, staff="ops@example.com", **fields) -> NotificationSetting:
    """Created at START, checked every 10 minutes with a delay of 1; told to a staff user and an outside address."""
    setting = make_setting(network or make_network(), **{"check_interval": 600, "check_delay": 60, **fields})
    NotificationSetting.objects.filter(pk=setting.pk).update(created_at=START)
    NotificationTarget.objects.create(setting=setting, user=make_staff(staff))
    NotificationTarget.objects.create(setting=setting, email="oncall@partner.example")
    setting.refresh_from_db()
    return setting


def raised(minutes: float, **fields) -> FleetAlert:
    alert = make_alert(**fields)
    FleetAlert.objects.filter(pk=alert.pk).update(created_at=at(minutes))
    return alert


def check(setting, minutes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notification_check(setting_id=setting.pk, now=at(minutes))


def test_a_check_mails_each_target_the_open_events_of_its_kind_older_than_the_delay_once(
        db, django_capture_on_commit_callbacks):
    setting = setting_with_targets()
    network = setting.network
    vehicle = make_vehicle(network=network, serial_number="SN-0042")
    sent = raised(3, network=network, vehicle=vehicle, alert_type="vehicle-fallen", severity="critical",
                  message="Fell at the corner")
    raised(4, network=network, alert_type="vehicle-dismantling", severity="high")  # a type not asked for
    raised(5, network=network, alert_type="vehicle-lifted", severity="low")  # a severity not asked for
    raised(5, network=make_network(), alert_type="vehicle-lifted", severity="high")  # another network's
    raised(6, network=network, alert_type="vehicle-lifted", severity="high", resolved=True)  # over by itself
    later = raised(10.5, network=network, alert_type="vehicle-lifted", severity="high")  # younger than the delay

    digest = check(setting, 11, django_capture_on_commit_callbacks)
    assert [line["id"] for line in digest.lines] == [sent.pk]
    assert (digest.window_start, digest.window_end) == (START, at(10))
    assert sorted(message.to[0] for message in mail.outbox) == ["oncall@partner.example", "ops@example.com"]
    body = mail.outbox[0].alternatives[0][0]
    assert "SN-0042" in body and "Fell at the corner" in body and f"/fleetalert/{sent.pk}/change/" in body
    assert mail.outbox[0].subject == f"1 Fleet Alert notification on {network.name}"
    digest.refresh_from_db()
    assert digest.state == "sent" and sorted(digest.sent_to) == sorted(digest.recipients) and digest.attempts == 1
    setting.refresh_from_db()
    assert setting.checked_until == at(10)

    # Not due before its interval: nothing more; then the next window, from where the first ended.
    assert check(setting, 15, django_capture_on_commit_callbacks) is None
    digest = check(setting, 21, django_capture_on_commit_callbacks)
    assert [line["id"] for line in digest.lines] == [later.pk] and digest.window_start == at(10)
    assert len(mail.outbox) == 4
    # A check run again at the same moment finds its window gone: nothing sent twice.
    assert check(setting, 21, django_capture_on_commit_callbacks) is None
    assert NotificationDigest.objects.filter(setting=setting).count() == 2 and len(mail.outbox) == 4


def test_a_window_without_events_or_without_targets_sends_nothing_and_moves_on(db, django_capture_on_commit_callbacks):
    setting = setting_with_targets()
    assert check(setting, 11, django_capture_on_commit_callbacks) is None
    setting.refresh_from_db()
    assert setting.checked_until == at(10)
    raised(12, network=setting.network, alert_type="vehicle-lifted", severity="high")
    setting.targets.all().delete()
    assert check(setting, 21, django_capture_on_commit_callbacks) is None
    setting.refresh_from_db()
    assert setting.checked_until == at(20) and not mail.outbox and not NotificationDigest.objects.exists()


@pytest.mark.parametrize("change", [{"is_active": False}, {"is_staff": False}])
def test_a_user_no_longer_active_staff_is_not_mailed(db, change, django_capture_on_commit_callbacks):
    setting = setting_with_targets()
    setting.targets.get(user__isnull=False).user.__class__.objects.filter(email="ops@example.com").update(**change)
    raised(3, network=setting.network, alert_type="vehicle-lifted", severity="high")
    digest = check(setting, 11, django_capture_on_commit_callbacks)
    assert digest.recipients == ["oncall@partner.example"] and [m.to for m in mail.outbox] == [["oncall@partner.example"]]


@pytest.mark.parametrize("kind", ["vehicle-fault", "station-down", "support-report", "support-message"])
def test_each_kind_of_setting_sends_its_own_events(db, kind, django_capture_on_commit_callbacks):
    setting = setting_with_targets(notification_type=kind)
    network = setting.network
    vehicle_alert = raised(3, network=network, vehicle=make_vehicle(network=network), alert_type="vehicle-lifted")
    raised(3, network=network, cluster=make_cluster(network=network), alert_type="vehicle-lifted")  # not a vehicle
    station = make_station(cluster=make_cluster(network=network))
    down = StationOutage.objects.create(station=station, started_at=at(4), reason="power")
    StationOutage.objects.create(station=station, started_at=at(2), ended_at=at(3), reason="power")  # back already
    report = make_report(network=network, subject="Brakes are soft")
    make_report(network=make_network())  # another network's
    message_send(report=report, actor=make_staff(), message="We are on it")  # the support team's own: not sent
    ReportMessageRows = report.messages.model
    ReportMessageRows.objects.filter(report=report).update(created_at=at(5))
    report.__class__.objects.filter(pk=report.pk).update(created_at=at(5))
    expected = {"vehicle-fault": [vehicle_alert.pk], "station-down": [down.pk], "support-report": [report.pk],
                "support-message": sorted(ReportMessageRows.objects.filter(report=report, from_support=False)
                                          .values_list("pk", flat=True))}[kind]
    digest = check(setting, 11, django_capture_on_commit_callbacks)
    assert sorted(line["id"] for line in digest.lines) == expected
    assert len(mail.outbox) == 2


def test_a_provider_down_midway_mails_only_whom_it_did_not_reach_on_the_retry(db, monkeypatch,
                                                                             django_capture_on_commit_callbacks):
    setting = setting_with_targets()
    raised(3, network=setting.network, alert_type="vehicle-lifted", severity="high")
    real = delivery.transport.deliver_marked
    calls = []

    def flaky(message, backend, mark_sent):
        calls.append(message.to[0])
        if len(calls) == 2:
            raise MessageProviderUnavailable("421 try later")
        return real(message, backend, mark_sent)

    monkeypatch.setattr(delivery.transport, "deliver_marked", flaky)
    with pytest.raises(Retry):  # the task retries later (raised as such when tasks run eagerly)
        check(setting, 11, django_capture_on_commit_callbacks)
    digest = NotificationDigest.objects.get()
    assert digest.state == "pending" and digest.sent_to == ["oncall@partner.example"] and digest.claimed_until is None
    assert "421" in digest.last_error and len(mail.outbox) == 1
    assert notification_digest_send(digest_id=digest.pk) == "sent"
    assert [m.to[0] for m in mail.outbox] == ["oncall@partner.example", "ops@example.com"]
    assert notification_digest_send(digest_id=digest.pk) is None and len(mail.outbox) == 2  # sent: never again


def test_a_refused_address_is_not_tried_again_and_does_not_stop_the_others(db, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    setting = setting_with_targets()
    raised(3, network=setting.network, alert_type="vehicle-lifted", severity="high")
    real = delivery.transport.deliver_marked

    def refusing(message, backend, mark_sent):
        if message.to == ["oncall@partner.example"]:
            raise MessageRefused("550 no such user")
        return real(message, backend, mark_sent)

    monkeypatch.setattr(delivery.transport, "deliver_marked", refusing)
    digest = check(setting, 11, django_capture_on_commit_callbacks)
    digest.refresh_from_db()
    assert digest.state == "sent" and digest.sent_to == ["ops@example.com"]
    assert digest.refused == ["oncall@partner.example"] and "550" in digest.last_error


def test_a_digest_held_by_a_worker_is_left_to_it_and_a_stalled_one_is_taken_over(db, django_capture_on_commit_callbacks):
    setting = setting_with_targets()
    raised(3, network=setting.network, alert_type="vehicle-lifted", severity="high")
    with django_capture_on_commit_callbacks(execute=False):  # the worker that should send it died
        digest = notification_check(setting_id=setting.pk, now=at(11))
    now = timezone.now()
    NotificationDigest.objects.filter(pk=digest.pk).update(claimed_until=now + timedelta(minutes=1), attempts=1)
    assert notification_digest_send(digest_id=digest.pk, now=now) is None and not mail.outbox
    assert delivery.stalled_digests(now=now) == []
    assert delivery.stalled_digests(now=now + timedelta(minutes=2)) == [digest.pk]
    assert notification_digest_send(digest_id=digest.pk, now=now + timedelta(minutes=2)) == "sent"
    assert len(mail.outbox) == 2 and NotificationDigest.objects.get().attempts == 2


def test_the_beat_task_checks_the_due_settings(db, django_capture_on_commit_callbacks):
    due = setting_with_targets(check_interval=0, check_delay=0)
    raised(3, network=due.network, alert_type="vehicle-lifted", severity="high")
    waiting = setting_with_targets(check_delay=10 ** 6, staff="night@example.com")  # its first window is not old enough yet
    raised(3, network=waiting.network, alert_type="vehicle-lifted", severity="high")
    make_setting()  # nobody to tell: not even checked
    with django_capture_on_commit_callbacks(execute=True):
        assert check_notification_settings.delay().get() == 1
    assert NotificationDigest.objects.get().setting == due and len(mail.outbox) == 2
    waiting.refresh_from_db()
    assert waiting.checked_until is None


def test_a_long_window_lists_its_first_events_and_says_there_were_more(db, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    monkeypatch.setattr(delivery, "MAX_LINES", 3)
    setting = setting_with_targets()
    for minute in range(1, 6):
        raised(minute, network=setting.network, alert_type="vehicle-lifted", severity="high")
    digest = check(setting, 11, django_capture_on_commit_callbacks)
    assert len(digest.lines) == 3 and digest.truncated
    assert mail.outbox[0].subject.startswith("More than 3 ")
    assert "More events happened in this window" in mail.outbox[0].alternatives[0][0]
