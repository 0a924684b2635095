from datetime import timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.fleet.models import FleetAlert

from .delivery import notification_check
from .models import NotificationSetting, NotificationTarget


def seed(ctx):
    """Every network tells its ops team about critical fleet alerts, and an external address about station outages."""
    ops = User.objects.filter(email="ops@fleetadmin.demo").first()
    for network in ctx.made["networks"].values():
        if NotificationSetting.objects.filter(network=network).exists():
            continue
        alerts = NotificationSetting.objects.create(
            network=network, notification_type=NotificationSetting.Type.FLEET_ALERT, alert_types=FleetAlert.Type.values,
            alert_severities=["high", "critical"], check_interval=300, check_delay=60)
        down = NotificationSetting.objects.create(
            network=network, notification_type=NotificationSetting.Type.STATION_DOWN,
            alert_types=["station-power-cut", "station-alarm-triggered"], alert_severities=["critical"])
        if ops is not None:
            NotificationTarget.objects.create(setting=alerts, user=ops)
        NotificationTarget.objects.create(setting=down, email="oncall@maintenance-partner.example")
        # Its first check, as the beat will run it once the demo's alerts are older than the delay: the admin shows
        # a digest of them (mailed by the worker).
        NotificationSetting.objects.filter(pk=alerts.pk).update(created_at=timezone.now() - timedelta(days=1))
        notification_check(setting_id=alerts.pk, now=timezone.now() + timedelta(seconds=alerts.check_delay))
    ctx.log(f"notifications: {NotificationSetting.objects.count()} settings")
