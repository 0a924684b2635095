"""Writes about riders (HackSoft services: keyword-only, one transaction, rules raise -6)."""
from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import AuthToken
from apps.audit.models import AccessLog
from apps.core.exceptions import BusinessRuleViolation, on_constraint

from .models import Badge, Device, NetworkMembership, RiderErasure, RiderMessage, UserBlock
from .tasks import send_rider_message

# Two concurrent blocks of one rider: the loser breaks the one-open-block constraint.
on_constraint(lambda: BusinessRuleViolation("user.already_blocked", "This user is already blocked."),
              name="one_open_block_per_rider")


# --- networks a rider belongs to ----------------------------------------------------------------------------
def record_activity(*, rider_id: int, network_id: int, at: datetime, trips: int = 0) -> None:
    """The rider interacted with the network at `at` (a trip when `trips`, a report, an offer viewed): one upsert,
    safe under concurrency, that also keeps the rider's overall last activity."""
    table = NetworkMembership._meta.db_table
    users = get_user_model()._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (rider_id, network_id, first_activity_at, last_activity_at, trip_count,
                                     created_at, updated_at)
                VALUES (%s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (network_id, rider_id) DO UPDATE SET
                    first_activity_at = LEAST({table}.first_activity_at, EXCLUDED.first_activity_at),
                    last_activity_at = GREATEST({table}.last_activity_at, EXCLUDED.last_activity_at),
                    trip_count = {table}.trip_count + EXCLUDED.trip_count,
                    updated_at = EXCLUDED.updated_at""",
            [rider_id, network_id, at, at, trips, now, now])
        cursor.execute(f"UPDATE {users} SET last_activity = GREATEST(COALESCE(last_activity, %s), %s) WHERE id = %s",
                       [at, at, rider_id])


def rebuild_memberships() -> int:
    """Memberships recomputed from the trips (after bulk loads that bypass signals: the demo, the benchmarks)."""
    # at call time: trips imports riders at load time (a cycle).
    from apps.trips.models import Trip

    table, trips, users = NetworkMembership._meta.db_table, Trip._meta.db_table, get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (rider_id, network_id, first_activity_at, last_activity_at, trip_count,
                                     created_at, updated_at)
                SELECT rider_id, network_id, MIN(started_at), MAX(started_at), COUNT(*), NOW(), NOW()
                FROM {trips} GROUP BY rider_id, network_id
                ON CONFLICT (network_id, rider_id) DO UPDATE SET
                    first_activity_at = LEAST({table}.first_activity_at, EXCLUDED.first_activity_at),
                    last_activity_at = GREATEST({table}.last_activity_at, EXCLUDED.last_activity_at),
                    trip_count = EXCLUDED.trip_count, updated_at = NOW()""")
        count = cursor.rowcount
        cursor.execute(f"""UPDATE {users} u SET last_activity = m.last FROM
                           (SELECT rider_id, MAX(last_activity_at) AS last FROM {table} GROUP BY rider_id) m
                           WHERE u.id = m.rider_id AND (u.last_activity IS NULL OR u.last_activity < m.last)""")
    return count


# --- blocking ---------------------------------------------------------------------------------------------
def open_block(*, rider) -> UserBlock | None:
    return UserBlock.objects.filter(rider=rider, unblocked_at__isnull=True).select_related("blocked_by").first()


def is_blocked(*, rider) -> bool:
    return UserBlock.objects.filter(rider=rider, unblocked_at__isnull=True).exists()


@transaction.atomic
def user_block(*, rider, reason: str, actor) -> UserBlock:
    get_user_model().objects.select_for_update().filter(pk=rider.pk).first()  # one block decision at a time
    if is_blocked(rider=rider):
        raise BusinessRuleViolation("user.already_blocked", "This user is already blocked.")
    if rider.pk == getattr(actor, "pk", None):
        raise BusinessRuleViolation("user.block_self", "You cannot block yourself.")
    return UserBlock.objects.create(rider=rider, reason=reason, blocked_at=timezone.now(), blocked_by=actor)


@transaction.atomic
def user_unblock(*, rider, actor) -> UserBlock:
    block = UserBlock.objects.select_for_update().filter(rider=rider, unblocked_at__isnull=True).first()
    if block is None:
        raise BusinessRuleViolation("user.not_blocked", "This user is not blocked.")
    block.unblocked_at, block.unblocked_by = timezone.now(), actor
    block.save(update_fields=["unblocked_at", "unblocked_by", "updated_at"])
    return block


# --- messages --------------------------------------------------------------------------------------------
def best_channel(*, rider) -> str:
    """Push when the rider has a device that accepts it, else SMS with a phone number, else e-mail."""
    if any(d.push_token for d in rider.devices.all()):
        return RiderMessage.Channel.PUSH
    if rider.phone_number:
        return RiderMessage.Channel.SMS
    return RiderMessage.Channel.EMAIL


@transaction.atomic
def message_send(*, rider, message: str, actor, channel: str | None = None, subject: str = "") -> RiderMessage:
    """Record the message and send it through its channel's provider once the transaction commits."""
    record = RiderMessage.objects.create(rider=rider, channel=channel or best_channel(rider=rider), subject=subject,
                                         body=message, sent_by=actor)
    transaction.on_commit(lambda: send_rider_message.delay(record.pk))
    return record


# --- organizations ---------------------------------------------------------------------------------------
@transaction.atomic
def organization_link(*, rider, organization, visible, force: bool = False) -> None:
    """A rider belongs to one organization at a time: linking to another needs `force`, which unlinks the current one.
    `visible` limits a queryset of organizations to the caller's scope: an organization outside it (of another
    network the rider also rides in) is neither named nor replaced."""
    get_user_model().objects.select_for_update().filter(pk=rider.pk).first()
    current = list(rider.organizations.all())
    if organization in current and len(current) == 1:
        raise BusinessRuleViolation("user.organization_linked", "The user is already linked to this organization.")
    if not current:
        rider.organizations.set([organization])
        return
    seen = list(visible(rider.organizations.all()))
    if len(seen) < len(current):
        raise BusinessRuleViolation("user.has_other_organization",
                                    "The user is linked to an organization outside what you manage.")
    if not force:
        raise BusinessRuleViolation("user.has_organization",
                                    f"The user is linked to {current[0].name}; send force=true to replace it.")
    rider.organizations.set([organization])


@transaction.atomic
def organization_unlink(*, rider, visible) -> None:
    """Unlink the rider from its organizations the caller sees (`visible` limits a queryset to its scope)."""
    seen = list(visible(rider.organizations.all()))
    if not seen:
        raise BusinessRuleViolation("user.no_organization", "The user is not linked to any organization.")
    rider.organizations.remove(*seen)


# --- erasure (GDPR art. 17) -------------------------------------------------------------------------------
def rider_erase(*, rider, actor, reason: str = "") -> RiderErasure:
    """Anonymize a rider on request: personal fields blanked, devices, badges and tokens deleted, payment methods
    detached, messages and support texts blanked, the access log's IPs and user agents of the rider cleared.
    Trips, payments and memberships stay, attached to the anonymized account, so statistics do not change. The
    payment methods are detached at the provider first, each between commits (apps.payments.attempts); the
    erasure itself is one transaction."""
    # at call time: payments imports riders at load time (a cycle).
    from apps.payments.models import PaymentMethod
    # at call time: payments imports riders at load time (a cycle).
    from apps.payments.services import payment_method_detach

    _check_erasable(rider)
    for method in PaymentMethod.objects.filter(rider=rider, detached_at__isnull=True):
        payment_method_detach(method=method)
    return _erase(rider=rider, actor=actor, reason=reason)


def _check_erasable(rider) -> None:
    if rider.is_staff or rider.is_superuser:
        raise BusinessRuleViolation("user.is_staff", "Staff accounts are not erased this way; remove their access.")
    if RiderErasure.objects.filter(rider_id=rider.pk).exists():
        raise BusinessRuleViolation("user.erased", "This user was already erased.")


@transaction.atomic
def _erase(*, rider, actor, reason: str) -> RiderErasure:
    rider = get_user_model().objects.select_for_update().get(pk=rider.pk)
    _check_erasable(rider)
    rider.email = f"erased-{rider.pk}@erased.invalid"
    rider.firstname = rider.lastname = rider.phone_number = ""
    rider.is_active = False
    rider.set_unusable_password()
    rider.save()
    Device.objects.filter(rider=rider).delete()
    Badge.objects.filter(rider=rider).delete()
    AuthToken.objects.filter(user=rider).delete()
    RiderMessage.objects.filter(rider=rider).update(body="", subject="", updated_at=timezone.now())
    AccessLog.objects.filter(user_id=rider.pk).update(ip="", user_agent="")
    # at call time: support imports riders at load time (a cycle).
    from apps.support.services import erase_reports_of

    erase_reports_of(rider=rider)
    return RiderErasure.objects.create(rider_id=rider.pk, erased_at=timezone.now(), erased_by=actor,
                                       reason=reason)
