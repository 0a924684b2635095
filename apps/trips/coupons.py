"""Applying a coupon (a code of a trip discount) to a rider's trip: the mobile API's rules, in the seed's order.

Atomic: the trip row and the code row are locked, so two concurrent requests on the same trip or the same
single-use code apply it once; the loser sees the state the winner left (a coupon on the trip, or no use left).
"""
from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from django.db import transaction

from apps.core.exceptions import Refused
from apps.core.filters import email_matches_pattern
from apps.discounts.models import CouponUse, Discount, DiscountCode
from apps.riders.services import is_blocked

from .models import Trip
from .services import trip_compute_cost


class CouponRefused(Refused):
    """A rule refused the coupon: `mobile_code` is the rider API's ErrorCode (answered by its handler, as any domain
    refusal); the dashboard would see the key `coupon.<code>`. Domain code raises no API error (issue 37)."""

    def __init__(self, mobile_code: str, text: str, http_status: int = 409):
        super().__init__(mobile_code, text, http_status=http_status, area="coupon")


def _in_window(local_time, start, end) -> bool:
    if start is None:
        return True
    return start <= local_time < end if start < end else (local_time >= start or local_time < end)


@transaction.atomic
def apply_coupon(*, rider, trip_guid: str, coupon: str) -> Trip:
    if is_blocked(rider=rider):
        # Not in the seed's list: a blocked rider (blockUser) may read its trips but not change them.
        raise CouponRefused("err_UserBlocked", "Your account is blocked; contact the support.", 403)
    try:
        guid = uuid.UUID(str(trip_guid))
    except ValueError:
        raise CouponRefused("err_InvalidElement", "The trip guid is malformed.", 400) from None
    if not coupon or not isinstance(coupon, str):
        raise CouponRefused("err_InvalidElement", "No coupon code was given.", 400)
    trip = (Trip.objects.select_for_update(of=("self",)).select_related("network__currency", "promotion")
            .filter(guid=guid).first())
    if trip is None:
        raise CouponRefused("err_NoTripFound", "No trip was found for this guid.", 404)
    if trip.rider_id != rider.pk:
        raise CouponRefused("err_TripUserMismatch", "This trip belongs to another rider.", 403)
    code = (DiscountCode.objects.select_for_update(of=("self",)).select_related("discount")
            .filter(code=coupon.upper(), discount__network=trip.network, discount__disabled_at__isnull=True,
                    discount__type__in=Discount.TRIP_TYPES).exclude(remaining=0).first())
    if code is None:
        raise CouponRefused("err_NoCouponFound", "No coupon was found for this code.", 404)
    discount = code.discount
    if not _in_community(rider, code):
        raise CouponRefused("err_CommunityMismatch", "This coupon is reserved to other communities.", 409)
    local = trip.started_at.astimezone(ZoneInfo(trip.network.timezone))
    in_dates = discount.start_date <= local.date() and (discount.stop_date is None or local.date() < discount.stop_date)
    if not in_dates or not _in_window(local.time(), discount.valid_from_time, discount.valid_until_time):
        raise CouponRefused("err_CouponEffectDates", "This coupon cannot be used for a trip started then.", 409)
    if trip.promotion_id is not None and not discount.cumulative:
        raise CouponRefused("err_PromotionsAlreadyApplied", "The trip has a promotion this coupon cannot join.", 409)
    if CouponUse.objects.filter(trip=trip).exists():
        raise CouponRefused("err_CouponAlreadyApplyed", "A coupon is already applied to this trip.", 409)
    if CouponUse.objects.filter(code=code, rider=rider).exists():
        raise CouponRefused("err_CouponAlreadyUsed", "You have already used this coupon.", 409)
    CouponUse.objects.create(trip=trip, code=code, rider=rider)
    if code.remaining > 0:
        code.remaining -= 1
        code.save(update_fields=["remaining", "updated_at"])
    if trip.cost_computed_at is not None:
        trip = trip_compute_cost(trip=trip)
    return trip


def _in_community(rider, code: DiscountCode) -> bool:
    if not DiscountCode.objects.filter(email_matches_pattern(rider.email, "email_access_pattern"), pk=code.pk).exists():
        return False
    organizations = code.discount.organizations.all()
    return not organizations.exists() or organizations.filter(members=rider).exists()
