"""Writes on organizations (keyword-only, one transaction, rules raise -6) and what they pay of their members'
trips (`organization_share`, used by the trip costing)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from apps.core.api.params import check_like_pattern
from apps.core.exceptions import BusinessRuleViolation, Refused, ValidationFailed
from apps.core.filters import email_matches_pattern
from apps.core.models import UNSET, assign
from apps.pricing.engine import second_of_week, week_intervals
from apps.pricing.models import parse_hod

from .models import EnrolmentRequest, Organization, OrganizationRule


@transaction.atomic
def organization_create(*, third_party, name: str, administrator, is_guarantor: bool, allow_outside_rules: bool,
                        paid_outside_rules_ratio, only_show_matching_clusters: bool, pays_rule_overrun: bool,
                        email_pattern=None, reenrolment_frequency_in_days=None, description="") -> Organization:
    return Organization.objects.create(
        third_party=third_party, name=name, administrator=administrator, is_guarantor=is_guarantor,
        allow_outside_rules=allow_outside_rules, paid_outside_rules_ratio=paid_outside_rules_ratio,
        only_show_matching_clusters=only_show_matching_clusters, pays_rule_overrun=pays_rule_overrun,
        email_pattern=check_like_pattern(email_pattern) or "", description=description or "",
        reenrolment_frequency_in_days=reenrolment_frequency_in_days)


def _locked(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


@transaction.atomic
def organization_update(*, organization, name: str, only_show_matching_clusters: bool, description=UNSET):
    organization = _locked(organization)
    assign(organization, name=name, only_show_matching_clusters=only_show_matching_clusters,
           description="" if description is None else description)
    organization.save()
    return organization


@transaction.atomic
def enrolment_update(*, organization, email_pattern: str, reenrolment_frequency_in_days, manual_approbation: bool,
                     enable_enrolment_token: bool, enrolment_custom_field):
    """Who may join: riders whose e-mail matches the LIKE pattern; with manual approbation their requests wait for an
    answer; with the token enabled, a token is made (kept when already there)."""
    organization = _locked(organization)
    organization.email_pattern = check_like_pattern(email_pattern)
    organization.reenrolment_frequency_in_days = int(reenrolment_frequency_in_days)
    organization.manual_approbation = manual_approbation
    organization.enable_enrolment_token = enable_enrolment_token
    if enable_enrolment_token and not organization.enrolment_token:
        organization.enrolment_token = secrets.token_urlsafe(18)[:24]
    organization.enrolment_custom_field = enrolment_custom_field
    organization.save()
    return organization


@transaction.atomic
def administrator_update(*, organization, administrator):
    organization = _locked(organization)
    organization.administrator = administrator
    organization.save(update_fields=["administrator", "updated_at"])
    return organization


@transaction.atomic
def payments_update(*, organization, is_guarantor: bool, allow_outside_rules: bool, paid_outside_rules_ratio,
                    pays_rule_overrun: bool):
    organization = _locked(organization)
    assign(organization, is_guarantor=is_guarantor, allow_outside_rules=allow_outside_rules,
           paid_outside_rules_ratio=paid_outside_rules_ratio, pays_rule_overrun=pays_rule_overrun)
    organization.save()
    return organization


@transaction.atomic
def rule_save(*, organization, rule: OrganizationRule | None = None, network, start_dow: int, start_hod: str,
              end_dow: int, end_hod: str, paid_by_org_ratio, rule_name: str, network_name: str,
              max_vehicles=None) -> OrganizationRule:
    start, end = parse_hod(start_hod), parse_hod(end_hod)  # HH:MM:SS (the seed's pattern), 24:00:00 allowed
    rule = rule or OrganizationRule(organization=organization)
    assign(rule, network=network, start_dow=start_dow, start_hod=start, end_dow=end_dow, end_hod=end,
           paid_by_org_ratio=paid_by_org_ratio, rule_name=rule_name, network_name=network_name,
           max_vehicles=max_vehicles)
    rule.save()
    return rule


def joinable_organizations(*, rider):
    """The organizations the rider may join by his e-mail: their pattern matches it, they ride in a network of his
    app label (one of their rules is there), and he is not a member yet."""

    return (Organization.objects.exclude(email_pattern="").filter(email_matches_pattern(rider.email, "email_pattern"))
            .filter(rules__network__app_label_id=rider.app_label_id).exclude(members=rider).distinct())


@transaction.atomic
def enrolment_join(*, rider, organization: Organization | None = None, token: str | None = None,
                   answer: str = "") -> tuple[Organization, EnrolmentRequest | None]:
    """A rider joins an organization by its enrolment token, or one whose e-mail pattern matches his (`organization`).
    Where the organization approves members by hand, the answer is a pending request (its custom question answered
    with `answer`); else he is a member at once (request None). Refusals: err_OrganizationNotFound (a wrong token, an
    organization he may not join), err_AlreadyMember, err_RequestPending."""
    if token is not None:
        organization = (Organization.objects.filter(enable_enrolment_token=True, enrolment_token=token)
                        .exclude(enrolment_token="").first())
    elif organization is not None and not joinable_organizations(rider=rider).filter(pk=organization.pk).exists() \
            and not organization.members.filter(pk=rider.pk).exists():
        organization = None
    if organization is None:
        raise Refused("err_OrganizationNotFound", "No organization you may join matches.", http_status=404,
                      area="organization")
    organization = _locked(organization)
    if organization.members.filter(pk=rider.pk).exists():
        raise Refused("err_AlreadyMember", "You are already a member.", area="organization")
    if not organization.manual_approbation:
        organization.members.add(rider)
        return organization, None
    if EnrolmentRequest.objects.filter(organization=organization, rider=rider,
                                       status=EnrolmentRequest.Status.PENDING).exists():
        raise Refused("err_RequestPending", "Your request waits for the organization's answer.", area="organization")
    request = EnrolmentRequest.objects.create(organization=organization, rider=rider, custom_field_answer=answer)
    return organization, request


@transaction.atomic
def enrolment_answer(*, request: EnrolmentRequest, accept: bool, actor, reject_reason=None, revoke_at=None):
    request = EnrolmentRequest.objects.select_for_update(of=("self",)).select_related("organization").get(pk=request.pk)
    if request.status != EnrolmentRequest.Status.PENDING:
        raise BusinessRuleViolation("enrolment.answered", "This enrolment request was already answered.")
    if accept:
        if reject_reason:
            raise ValidationFailed.on("reject_reason", "Give either a rejection reason, or accept the request.")
        if revoke_at is not None and revoke_at <= timezone.now().date():
            raise ValidationFailed.on("revoke_at", "The membership must end after today.")
        request.organization.members.add(request.rider)
        request.status, request.revoke_at = EnrolmentRequest.Status.ACCEPTED, revoke_at
    else:
        if not reject_reason:
            raise ValidationFailed.on("reject_reason", "Give either a rejection reason, or accept the request.")
        request.status, request.reject_reason = EnrolmentRequest.Status.REJECTED, reject_reason
    request.answered_at, request.answered_by = timezone.now(), actor
    request.save()
    return request


@transaction.atomic
def revoke_due_memberships(*, today=None) -> int:
    """End the memberships whose `revoke_at` came (beat task; idempotent)."""
    today = today or timezone.now().date()
    due = list(EnrolmentRequest.objects.select_for_update(of=("self",)).select_related("organization")
               .filter(status=EnrolmentRequest.Status.ACCEPTED, revoke_at__lte=today))
    for request in due:
        request.organization.members.remove(request.rider_id)
        request.status = EnrolmentRequest.Status.REVOKED
        request.save(update_fields=["status", "updated_at"])
    return len(due)


# --- billing -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Share:
    organization: Organization | None
    amount: Decimal


def rule_in_force(*, rule: OrganizationRule, moment, tz: ZoneInfo) -> bool:
    """Whether `moment` falls in the rule's weekly window, in the network's local time."""
    local = moment.astimezone(tz)
    weekday = (local.weekday() + 1) % 7  # the pricing convention: 0 is Sunday
    second = second_of_week(weekday, local.hour * 3600 + local.minute * 60 + local.second)
    intervals = week_intervals(second_of_week(rule.start_dow, rule.start_hod), second_of_week(rule.end_dow, rule.end_hod))
    return any(low <= second < high for low, high in intervals)


def organization_share(*, trip, charge: Decimal) -> Share:
    """What the rider's organization pays of `charge` for this trip: the ratio of the first of its rules whose
    network and weekly window (network local time) hold the trip's start; outside every rule, the outside ratio when
    the organization allows trips outside its rules; otherwise nothing."""
    currency = trip.network.currency
    tz = ZoneInfo(trip.network.timezone)
    for organization in Organization.objects.filter(members=trip.rider_id).order_by("pk").prefetch_related("rules"):
        rules = [r for r in organization.rules.all() if r.network_id == trip.network_id]
        matching = next((r for r in rules if rule_in_force(rule=r, moment=trip.started_at, tz=tz)), None)
        if matching is not None:
            return Share(organization, currency.quantize(charge * matching.paid_by_org_ratio))
        if rules and organization.allow_outside_rules:
            return Share(organization, currency.quantize(charge * organization.paid_outside_rules_ratio))
    return Share(None, Decimal(0))
