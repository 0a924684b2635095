"""Demo support reports with short conversations, some resolved."""
from django.contrib.auth import get_user_model

from apps.riders.models import NetworkMembership

from .models import Report
from .services import message_send, report_open, report_resolve

SUBJECTS = [("The bike will not unlock", "I scanned three times at the station, nothing happens."),
            ("Charged twice", "My card was charged twice for this morning's trip."),
            ("Scooter battery empty", "The app said 80% but it stopped after 5 minutes."),
            ("Lost item", "I left my helmet in the basket of bike 1042.")]
ANSWERS = ["Thanks, we are looking into it.", "We refunded the second charge.", "Sorry about that, a credit is on you."]


def seed(ctx):
    if Report.objects.exists():
        return
    staff = get_user_model().objects.filter(email="support@fleetadmin.demo").first()
    memberships = list(NetworkMembership.objects.select_related("rider", "network").order_by("pk")[:40:3])
    for n, membership in enumerate(memberships):
        subject, text = SUBJECTS[n % len(SUBJECTS)]
        report = report_open(rider=membership.rider, subject=subject, message=text, networks=[membership.network])
        if n % 2 == 0:
            message_send(report=report, actor=staff, message=ANSWERS[n % len(ANSWERS)])
        if n % 3 == 0:
            report_resolve(report=report, actor=staff)
    ctx.log(f"support: {len(memberships)} reports")
