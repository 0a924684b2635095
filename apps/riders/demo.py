"""Demo riders for the support team: memberships from the demo trips, app labels, devices (a few shared between
accounts, the fraud signal), badges, saved cards, blocked riders and messages sent."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.applabels.models import AppLabel
from apps.organizations.demo import seed_rules_and_requests

from .models import Badge, Device, RiderMessage, UserBlock
from .services import rebuild_memberships

PHONES = [("android", "Pixel 8"), ("android", "Galaxy S23"), ("ios", "iPhone 15"), ("ios", "iPhone 13")]


def seed(ctx):
    memberships = rebuild_memberships()
    seed_rules_and_requests(ctx)  # organizations' rules and requests need the riders' memberships
    riders = list(get_user_model().objects.filter(email__endswith="@riders.demo").order_by("pk"))
    if not riders or Device.objects.filter(rider__in=riders).exists():
        ctx.log(f"riders: {memberships} memberships (support data already there)")
        return
    labels = list(AppLabel.objects.order_by("pk"))
    now = timezone.now()
    for rider in riders:
        if labels:
            rider.app_label = ctx.rng.choice(labels)
    get_user_model().objects.bulk_update(riders, ["app_label"])
    devices, badges = [], []
    for n, rider in enumerate(riders):
        platform, model = ctx.rng.choice(PHONES)
        seen = now - timedelta(days=ctx.rng.randint(0, 60))
        device_id = f"demo-device-{n // 2 if n % 10 == 0 else n}"  # every tenth rider shares a phone
        devices.append(Device(device_id=device_id, rider=rider, platform=platform, model=model, os_version="14",
                              app_version=ctx.rng.choice([410, 415, 420]), push_token=f"push-{n}" if n % 3 else "",
                              first_seen_at=seen - timedelta(days=90), last_seen_at=seen))
        if n % 4 == 0:
            badges.append(Badge(rider=rider, number=f"DEMO{n:06d}", label="Badge"))
    Device.objects.bulk_create(devices, ignore_conflicts=True)
    Badge.objects.bulk_create(badges)
    # at call time: payments imports riders at load time (a cycle).
    from apps.payments.models import PaymentMethod

    PaymentMethod.objects.bulk_create([
        PaymentMethod(rider=rider, provider="stripe", provider_reference=f"pm_demo_{rider.pk}", method_type="card",
                      brand=ctx.rng.choice(["visa", "mastercard"]), last4=f"{ctx.rng.randint(0, 9999):04d}",
                      # two accounts with the same card: what listPaymentMethodsByFingerprint will show
                      fingerprint=f"fp_demo_{rider.pk // 2 if rider.pk % 15 == 0 else rider.pk}",
                      expiry_month=ctx.rng.randint(1, 12), expiry_year=2028, is_default=True)
        for rider in riders])
    blocked = riders[3::17]
    staff = get_user_model().objects.filter(email="support@fleetadmin.demo").first()
    UserBlock.objects.bulk_create([UserBlock(rider=r, reason="Repeated chargebacks", blocked_at=now - timedelta(days=3),
                                             blocked_by=staff) for r in blocked])
    RiderMessage.objects.bulk_create([
        RiderMessage(rider=r, channel=channel, subject="Your trip", body="Your refund has been processed.",
                     status="sent", provider_message_id=f"demo-{channel}-{r.pk}", sent_by=staff, sent_at=now)
        for r in riders[:20] for channel in ("email", "push")])
    ctx.log(f"riders: {memberships} memberships, {len(devices)} devices, {len(badges)} badges, "
            f"{len(blocked)} blocked")
