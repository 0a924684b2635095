"""Riders' accounts as the riders' app opens them: sign-up and login per app label, the profile, saved cards and the
terms of use accepted. (Operator staff log in through apps.accounts; riders are users of one app label.)"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from apps.accounts import services as accounts
from apps.accounts.models import AuthToken
from apps.accounts.services import issue_token
from apps.applabels.models import AppLabel
from apps.core.exceptions import NotAuthenticated, Refused, ValidationFailed
from apps.core.models import UNSET, assign, check_field_rules
from apps.devtools.selectors import check_app_version

from .messaging import MessageProviderUnavailable, MessageRefused, provider_for
from .models import Device, PhoneCode, RiderMessage
from .services import rider_erase
from .tasks import send_rider_message


def _app_label(name: str):
    app_label = AppLabel.objects.filter(name=name).first()
    if app_label is None:
        raise Refused("err_UnknownAppLabel", "This app is not known here.", http_status=404)
    return app_label


def rider_sign_up(*, app_label_name: str, email: str, password: str, firstname: str = "", lastname: str = "",
                  language: str = "", app_platform: str | None = None, app_version: int | None = None) -> object:
    """Open a rider's account in the app label (not from an app older than its minimal version); returns the rider
    as saved."""

    app_label = _app_label(app_label_name)
    check_app_version(app_label=app_label, platform=app_platform, version=app_version)
    User = get_user_model()
    try:
        validate_password(password, User(email=email, firstname=firstname, lastname=lastname))
    except ValidationError as invalid:
        raise ValidationFailed.on("Password", " ".join(invalid.messages)) from None
    try:
        with transaction.atomic():
            rider = User.objects.create_user(email=email, password=password, app_label=app_label,
                                             firstname=firstname, lastname=lastname, language=language)
    except IntegrityError:  # the e-mail's unique key: an account exists (one per e-mail across app labels)
        raise Refused("err_EmailTaken", "An account already uses this e-mail; log in instead.") from None
    return User.objects.get(pk=rider.pk)


def rider_log_in(*, app_label_name: str, email: str, password: str, ip: str, user_agent: str = "",
                 app_platform: str | None = None, app_version: int | None = None):
    """A rider's bearer token, for a rider of this app label only (staff and other apps' riders are refused as
    wrong credentials, telling nothing of the account), from an app not older than its minimal version."""

    app_label = _app_label(app_label_name)
    check_app_version(app_label=app_label, platform=app_platform, version=app_version)
    raw, token = accounts.login(email=email, password=password, ip=ip, user_agent=user_agent)
    if token.user.app_label_id != app_label.pk or token.user.is_staff:
        accounts.logout(token=token)
        raise NotAuthenticated("Wrong email or password.", key="auth.invalid_credentials")
    return raw, token


@transaction.atomic
def rider_add_card(*, rider, token: str):
    """Save the card the app's card form tokenized, through the payment provider; the first card is the default."""
    # at call time: payments imports riders at load time (a cycle).
    from apps.payments.models import PaymentMethod
    # at call time: payments imports riders at load time (a cycle).
    from apps.payments.providers import PaymentDeclined, get_payment_provider

    rider = get_user_model().objects.select_for_update(of=("self",)).get(pk=rider.pk)
    provider = get_payment_provider()
    try:
        attached = provider.attach(token=token, customer_key=f"rider-{rider.pk}")
    except PaymentDeclined as refused:
        raise Refused("err_CardRefused", str(refused), http_status=402) from None
    first = not PaymentMethod.objects.filter(rider=rider, detached_at__isnull=True).exists()
    method = PaymentMethod.objects.create(
        rider=rider, provider=provider.name, provider_reference=attached.reference, method_type=attached.method_type,
        brand=attached.brand, last4=attached.last4, fingerprint=attached.fingerprint,
        expiry_month=attached.expiry_month, expiry_year=attached.expiry_year, is_default=first)
    return PaymentMethod.objects.get(pk=method.pk)


def rider_accept_terms(*, rider, network=None) -> list:
    """Accept the latest published terms of the rider's app label (and of `network`): the start check's terms."""
    # at call time: terms imports riders at load time (a cycle).
    from apps.terms.models import TermsAcceptance
    # at call time: terms imports riders at load time (a cycle).
    from apps.terms.selectors import current_terms

    accepted = []
    for terms in current_terms(app_label_id=rider.app_label_id, network=network):
        TermsAcceptance.objects.get_or_create(terms=terms, rider=rider)
        accepted.append(terms)
    return accepted


@transaction.atomic
def rider_update_profile(*, rider, firstname=UNSET, lastname=UNSET, language=UNSET):
    """Change the names and language given (UNSET: unchanged); returns the rider as saved."""
    rider = get_user_model().objects.select_for_update(of=("self",)).get(pk=rider.pk)
    given = {"firstname": firstname, "lastname": lastname, "language": language}
    assign(rider, **given)
    check_field_rules(rider, [name for name, value in given.items() if value is not UNSET])
    rider.save()
    return get_user_model().objects.select_related("app_label").get(pk=rider.pk)


def rider_register_device(*, rider, device_id: str, platform: str, model: str = "", os_version: str = "",
                          app_version: int | None = None, push_token: str = ""):
    """Record the rider's phone, or update it when he registered it before; returns the row as saved."""

    now = timezone.now()
    device, _created = Device.objects.update_or_create(
        device_id=device_id, rider=rider,
        defaults={"platform": platform, "model": model, "os_version": os_version, "app_version": app_version,
                  "push_token": push_token, "last_seen_at": now},
        create_defaults={"platform": platform, "model": model, "os_version": os_version,
                         "app_version": app_version, "push_token": push_token, "first_seen_at": now,
                         "last_seen_at": now})
    return Device.objects.get(pk=device.pk)


def rider_delete_account(*, rider, password: str):
    """The rider erases his own account (apps.riders.services.rider_erase), after giving his password again; not
    while a trip of his is under way or unpaid."""
    # at call time: trips imports riders at load time (a cycle).
    from apps.trips.lifecycle import UNDER_WAY, TripRefused
    # at call time: trips imports riders at load time (a cycle).
    from apps.trips.models import PaymentStatus, Trip

    if not rider.check_password(password):
        raise NotAuthenticated("Wrong email or password.", key="auth.invalid_credentials")
    if Trip.objects.filter(rider=rider, state__in=UNDER_WAY).exists():
        raise TripRefused("err_TripUnderWay", "End your trip first.")
    if Trip.objects.filter(rider=rider, payment_status=PaymentStatus.FAILED).exists():
        raise TripRefused("err_DebtUnpaid", "A past trip is unpaid: pay it before deleting your account.",
                          http_status=402)
    return rider_erase(rider=rider, actor=rider, reason="Deleted by the rider in the app.")


RESET_MAIL_INTERVAL = 60  # seconds between two reset mails to one rider: a button pressed twice mails once


def rider_request_password_reset(*, app_label_name: str, email: str) -> None:
    """Mail a rider of the app label a reset code (Django's password reset token: it dies with the password it was
    made for, and after PASSWORD_RESET_TIMEOUT). Says nothing of whether the account exists."""

    app_label = _app_label(app_label_name)
    rider = get_user_model().objects.filter(email__iexact=email, app_label=app_label, is_active=True,
                                            is_staff=False).first()
    if rider is None or not cache.add(f"password-reset:{rider.pk}", 1, RESET_MAIL_INTERVAL):
        return
    code = f"{urlsafe_base64_encode(force_bytes(rider.pk))}.{default_token_generator.make_token(rider)}"
    # The app's universal link on the app label's site (the app opens it, or the site hands the code over).
    reset_url = f"{(app_label.website or settings.SITE_URL).rstrip('/')}/reset-password?code={code}"
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    with transaction.atomic():
        message = RiderMessage.objects.create(
            rider=rider, channel=RiderMessage.Channel.EMAIL, subject="Reset your password", template="password-reset",
            body=f"Choose a new password: {reset_url}\n(or type the code {code} in the app; valid {minutes} minutes, "
                 f"once). If you did not ask for it, ignore this mail.",
            variables={"reset_url": reset_url, "expires_in_minutes": minutes})
        transaction.on_commit(lambda: send_rider_message.delay(message.pk))


@transaction.atomic
def rider_reset_password(*, code: str, password: str) -> object:
    """Set a new password with the code of the reset mail; every token of the rider is revoked. Returns the rider."""

    uid, _, token = code.partition(".")
    try:
        pk = int(urlsafe_base64_decode(uid).decode())
    except (ValueError, UnicodeDecodeError):
        pk = None
    rider = get_user_model().objects.select_for_update(of=("self",)).filter(pk=pk, is_staff=False,
                                                                          is_active=True).first()
    if rider is None or not default_token_generator.check_token(rider, token):
        raise Refused("err_InvalidResetCode", "This reset code is wrong, used or expired: ask for a new one.")
    try:
        validate_password(password, rider)
    except ValidationError as invalid:
        raise ValidationFailed.on("Password", " ".join(invalid.messages)) from None
    rider.set_password(password)
    rider.save(update_fields=["password"])
    AuthToken.objects.filter(user=rider, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return rider


# --- sign-up and login by phone ------------------------------------------------------------------------------------
PHONE_CODE_MINUTES, PHONE_CODE_TRIES, PHONE_CODE_INTERVAL = 10, 5, 60


def _code_hash(phone_number: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone_number}:{code}".encode(), hashlib.sha256).hexdigest()


def rider_request_phone_code(*, app_label_name: str, phone_number: str) -> None:
    """Text a one-time code to `phone_number` through the SMS provider (one a minute at most): the code signs up, or
    logs in, the app label's rider with this number (rider_verify_phone_code). Stored hashed, committed before the
    provider is called."""

    app_label = _app_label(app_label_name)
    if not cache.add(f"phone-code:{app_label.pk}:{phone_number}", 1, PHONE_CODE_INTERVAL):
        raise Refused("err_TooManyAttempts", "A code was sent less than a minute ago: wait before asking again.",
                      http_status=429)
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(app_label=app_label, phone_number=phone_number, code_hash=_code_hash(phone_number, code),
                             expires_at=timezone.now() + timedelta(minutes=PHONE_CODE_MINUTES))
    try:
        provider_for("sms").send_to(phone_number=phone_number, body=f"{app_label.display_name}: your code is {code}. "
                                                                    f"It expires in {PHONE_CODE_MINUTES} minutes.")
    except (MessageProviderUnavailable, MessageRefused) as failure:
        raise Refused("err_SmsUnavailable", f"The text could not be sent ({failure}); try again later.",
                      http_status=503) from None


def rider_verify_phone_code(*, app_label_name: str, phone_number: str, code: str, user_agent: str = ""):
    """The code texted to `phone_number`: right, unexpired, unused and within five tries, it logs in the app label's
    rider with this number, or signs him up (a placeholder e-mail, no password). Returns (raw token, token, rider,
    created). A wrong code counts against the code in a transaction of its own, kept whatever follows."""

    app_label = _app_label(app_label_name)
    now = timezone.now()
    with transaction.atomic():
        pending = (PhoneCode.objects.select_for_update().filter(
            app_label=app_label, phone_number=phone_number, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at", "-id").first())
        right = (pending is not None and pending.failed_attempts < PHONE_CODE_TRIES
                 and hmac.compare_digest(pending.code_hash, _code_hash(phone_number, code)))
        if pending is not None:
            if right:
                pending.used_at = now
            else:
                pending.failed_attempts += 1
            pending.save(update_fields=["used_at", "failed_attempts"])
    if not right:
        raise Refused("err_InvalidCode", "This code is wrong, used or expired: ask for a new one.", http_status=401)
    User = get_user_model()
    with transaction.atomic():
        rider = User.objects.filter(app_label=app_label, phone_number=phone_number, is_active=True,
                                    is_staff=False).order_by("id").first()
        created = rider is None
        if created:
            rider = User.objects.create_user(email=f"phone{phone_number.lstrip('+')}.{app_label.name}@phone.invalid",
                                             password=None, app_label=app_label, phone_number=phone_number)
        raw, token = issue_token(user=rider, user_agent=user_agent)
    return raw, token, User.objects.select_related("app_label").get(pk=rider.pk), created
