"""The rider page in the admin (scoped, actions through the services) and erasure on request (GDPR art. 17)."""
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.access.tests.factories import make_grant, make_unit
from apps.audit.models import AccessLog
from apps.core.testing.clients import client_for
from apps.networks.tests.factories import make_network
from apps.riders.models import Device, RiderErasure, UserBlock
from apps.support.tests.factories import make_report
from apps.trips.tests.factories import make_trip

from .factories import make_badge, make_device, make_member, make_message, make_payment_method

API = "/api/dashboard/v1"
PERSONAL = ("camille.rider@example.com", "Camille", "Rousseau", "+33612345678", "Lost my badge near Bellecour",
            "10.1.2.3", "RiderApp/4.2")


def _admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lyon(db):
    return make_network(name="Lyon")


def test_the_rider_page_is_scoped_and_its_actions_go_through_the_services(staff_user, lyon):
    mine = make_member(lyon, email="mine@example.com")
    theirs = make_member(make_network(name="Grenoble"), email="theirs@example.com")
    make_device(mine, device_id="shared-phone")
    make_device(theirs, device_id="shared-phone")
    unit = make_unit(networks=[lyon])
    for key in ("users.list", "users.block"):
        make_grant(staff_user, key, write=True, unit=unit)
    client = _admin(staff_user)
    changelist = reverse("admin:accounts_user_changelist")
    page = client.get(changelist, {"q": "example.com"}).content.decode()
    assert "mine@example.com" in page and "theirs@example.com" not in page
    assert client.get(reverse("admin:accounts_user_change", args=[theirs.pk])).status_code == 302  # not found
    detail = client.get(reverse("admin:accounts_user_change", args=[mine.pk])).content.decode()
    assert "shared-phone" in detail and "1 other account" in detail  # the fraud signal
    # Block: with a reason, through the service; the other network's rider is not touched even if posted.
    client.post(changelist, {"action": "block", "confirmed": "yes", "reason": "Chargebacks", "_selected_action": [mine.pk, theirs.pk]})
    assert list(UserBlock.objects.values_list("rider_id", "reason", "blocked_by_id")) == [
        (mine.pk, "Chargebacks", staff_user.pk)]
    client.post(changelist, {"action": "unblock", "confirmed": "yes", "_selected_action": [mine.pk]})
    assert UserBlock.objects.get().unblocked_by_id == staff_user.pk
    client.post(changelist, {"action": "erase", "confirmed": "yes", "_selected_action": [mine.pk]})
    assert not RiderErasure.objects.exists()  # superusers only


def test_erasure_leaves_no_personal_field_and_statistics_unchanged(superuser, admin_client, lyon):
    email, firstname, lastname, phone, words, ip, agent = PERSONAL
    rider = make_member(lyon, email=email, firstname=firstname, lastname=lastname, phone_number=phone)
    started = timezone.now() - timedelta(days=2)
    trips = [make_trip(network=lyon, rider=rider, started_at=started - timedelta(hours=h)) for h in range(3)]
    make_device(rider, device_id="phone-9", push_token="tok")
    make_badge(rider, number="BADGE-9")
    make_payment_method(rider, is_default=True)
    make_message(rider, "email", body=f"Hello {firstname}")
    make_report(network=lyon, rider=rider, subject=words, message=words)
    AccessLog.objects.create(api="mobile", date=timezone.now(), user_id=rider.pk, target_path="/api/business-mobile/v1",
                             verb="POST", user_agent=agent, ip=ip, http_code=200, knot_code=0, duration_ms=3)
    day = started.date().isoformat()
    stats_query = {"networks": str(lyon.pk), "start_date": (started - timedelta(days=1)).date().isoformat(),
                   "end_date": day, "timezone": "UTC"}
    stats_before = admin_client.get(f"{API}/usage-stats/summary", stats_query).json()["data"]

    _admin(superuser).post(reverse("admin:accounts_user_changelist"),
                           {"action": "erase", "confirmed": "yes", "reason": "Request by e-mail", "_selected_action": [rider.pk]})
    assert RiderErasure.objects.get().rider_id == rider.pk

    assert admin_client.get(f"{API}/usage-stats/summary", stats_query).json()["data"] == stats_before
    assert all(t.rider_id == rider.pk for t in type(trips[0]).objects.filter(pk__in=[t.pk for t in trips]))
    everything = []
    for path in ("profile", "report", "block", "devices", "payment-methods", "last-actions", "mails",
                 "push-notifications", "badges", "api-requests"):
        everything.append(admin_client.get(f"{API}/users/{rider.pk}/{path}").content.decode())
    everything.append(admin_client.get(f"{API}/users", {"networks": str(lyon.pk), "currency": "EUR",
                                                        "timezone": "UTC", "without_network": "false"}).content.decode())
    everything.append(admin_client.get(f"{API}/users/search", {"email": "camille"}).content.decode())
    report = rider.reports.get()
    everything.append(admin_client.get(f"{API}/reports/{report.pk}/messages").content.decode())
    everything.append(admin_client.get(f"{API}/reports/{report.pk}").content.decode())
    everything.append(admin_client.get(f"{API}/access-logs").content.decode())
    everything.append(admin_client.get(f"{API}/devices/phone-9/users").content.decode())
    admin = _admin(superuser)
    everything.append(admin.get(reverse("admin:accounts_user_change", args=[rider.pk])).content.decode())
    everything.append(admin.get(reverse("admin:accounts_user_changelist")).content.decode())
    everything.append(admin.get(reverse("admin:support_report_change", args=[report.pk])).content.decode())
    everything.append(admin.get(reverse("admin:riders_ridermessage_changelist")).content.decode())
    text = "\n".join(everything)
    for value in PERSONAL:
        assert value not in text, value
    assert not Device.objects.filter(rider=rider).exists()
    # The erased account cannot log in, and cannot be erased twice.
    assert client_for(None).post(f"{API}/auth/login", {"email": email, "password": "x"}, format="json").json()[
        "code"] != 0
    admin.post(reverse("admin:accounts_user_changelist"), {"action": "erase", "confirmed": "yes", "_selected_action": [rider.pk]})
    assert RiderErasure.objects.count() == 1


def test_rider_actions_are_offered_only_to_who_may_use_them_and_say_what_they_left(staff_user, lyon):
    from django.contrib import admin as django_admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    mine = make_member(lyon, email="mine@example.com")
    grenoble = make_network(name="Grenoble")
    theirs = make_member(grenoble, email="theirs@example.com")
    unit = make_unit(networks=[lyon])
    make_grant(staff_user, "users.list", write=True, unit=make_unit(networks=[lyon, grenoble]))  # sees both
    model_admin = django_admin.site._registry[get_user_model()]
    request = RequestFactory().get("/admin/accounts/user/")
    request.user = staff_user
    assert not {"block", "unblock", "erase"} & set(model_admin.get_actions(request))  # no users.block: not offered
    make_grant(staff_user, "users.block", write=True, unit=unit)
    request.user = get_user_model().objects.get(pk=staff_user.pk)  # rights are resolved once per user object
    assert {"block", "unblock"} <= set(model_admin.get_actions(request)) and "erase" not in model_admin.get_actions(
        request)
    client = _admin(staff_user)
    changelist = reverse("admin:accounts_user_changelist")
    short = client.post(changelist, {"action": "block", "confirmed": "yes", "reason": "no",
                                     "_selected_action": [mine.pk]}, follow=True)
    assert "reason" in " ".join(str(m) for m in short.context["messages"]) and not UserBlock.objects.exists()
    both = client.post(changelist, {"action": "block", "confirmed": "yes", "reason": "Chargebacks",
                                    "_selected_action": [mine.pk, theirs.pk]}, follow=True)
    said = " ".join(str(m) for m in both.context["messages"])
    assert "1 of the selected riders are outside" in said and "1 user(s) blocked" in said
