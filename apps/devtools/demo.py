"""Demo crash reports and app versions for each app label."""
from apps.applabels.models import AppLabel

from .models import AppReport, AppVersion

ERRORS = ["NullPointerException in TripScreen.onResume", "SSLHandshakeException: connection reset",
          "IndexOutOfRangeException in MapRenderer", "Unhandled promise rejection: QR scan timeout"]


def seed(ctx):
    if AppVersion.objects.exists():
        return
    labels = list(AppLabel.objects.order_by("pk"))
    for label in labels:
        for platform, current in (("android", 420), ("ios", 418)):
            AppVersion.objects.create(app_label=label, platform=platform, current=current, minimal=current - 20)
        AppReport.objects.bulk_create([
            AppReport(app_label=label, platform=ctx.rng.choice(["android", "ios"]), app_version=ctx.rng.choice([410, 418]),
                      device_id=f"demo-device-{ctx.rng.randint(0, 50)}", message=ctx.rng.choice(ERRORS),
                      stack_trace="at com.fleet.app.TripScreen.onResume(TripScreen.kt:88)")
            for _ in range(6)])
    ctx.log(f"devtools: versions and crash reports for {len(labels)} app labels")
